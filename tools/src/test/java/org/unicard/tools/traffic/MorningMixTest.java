package org.unicard.tools.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.config.ProgramRules;
import org.unicard.generate.DataSetGenerator;
import org.unicard.importer.DataSetImporter;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.TerminalType;
import org.unicard.terminal.TerminalRequest;

/**
 * The morning mix on a small generated data set: what it asks of each household stays within the
 * default rules' quota and credit (so the switch approves it), except the over-asks, which ask for
 * one unit more than the whole allowance; returns only give back confirmed purchases.
 */
class MorningMixTest
{
    @TempDir
    static Path directory;

    private static DataSet data;

    @BeforeAll
    static void generate() throws Exception
    {
        final TdesKey lmk = LocalMasterKey.parse(LocalMasterKey.generateHex(new SecureRandom()), "the test's key");
        DataSetGenerator.of(300, 5).generate(directory, lmk, (written, total) -> { });
        data = DataSetImporter.load(directory, lmk);
    }

    @Test
    void shouldKeepEveryHouseholdWithinItsQuotaAndCreditUntilItIsUsedUp()
    {
        final ProgramRules rules = ProgramRules.defaults();
        final MorningMix mix = new MorningMix(data, rules);
        final CardTable cards = data.cards();
        final MorningMix.Till bakery = mix.till(terminal(TerminalType.BAKERY), 1);
        final MorningMix.Till grocer = mix.till(terminal(TerminalType.GROCER), 2);
        final long[] loaves = new long[data.households().size()];
        final long[] piasters = new long[data.households().size()];
        final long[] returned = new long[data.households().size()];
        final int[] kinds = new int[5];
        final TerminalRequest request = new TerminalRequest();
        final int requests = 20_000;
        for (int i = 0; i < requests; i++)
        {
            final MorningMix.Till till = i % 2 == 0 ? bakery : grocer;
            request.clear();
            final int kind = till.next(request);
            kinds[kind]++;
            final int household = cards.household(cards.indexOf(Long.parseLong(request.pan)));
            switch (kind)
            {
                case MorningMix.KIND_BREAD ->
                {
                    assertEquals(Purchases.BREAD, request.processingCode);
                    assertTrue(request.amount >= 1 && request.amount <= 5, "loaves=" + request.amount);
                    loaves[household] += request.amount;
                    assertTrue(loaves[household] <= (long)rules.breadDailyLoavesPerIndividual * data.households().breadIndividuals(household),
                        "household=" + household + " loaves=" + loaves[household]);
                }
                case MorningMix.KIND_RATION ->
                {
                    assertEquals(Purchases.RATION, request.processingCode);
                    assertTrue(request.amount >= 100 && request.amount <= 4_900 && request.amount % 100 == 0, "piasters=" + request.amount);
                    piasters[household] += request.amount;
                    assertTrue(piasters[household] <= rules.monthlyRationPiasters(data.households().rationIndividuals(household)),
                        "household=" + household + " piasters=" + piasters[household]);
                    assertEquals(request.amount, till.lastSale() & 0xFFFF_FFFFL);
                    till.confirmSale(till.lastSale());
                }
                case MorningMix.KIND_OVER_ASK ->
                {
                    // One unit more than the whole allowance: declined whatever order the requests reach the switch in.
                    if (request.processingCode == Purchases.BREAD)
                    {
                        assertEquals((long)rules.breadDailyLoavesPerIndividual * data.households().breadIndividuals(household) + 1,
                            request.amount);
                    }
                    else
                    {
                        assertEquals(rules.monthlyRationPiasters(data.households().rationIndividuals(household)) + returned[household] + 100,
                            request.amount);
                    }
                }
                case MorningMix.KIND_RETURN ->
                {
                    assertEquals(Purchases.RATION_RETURN, request.processingCode);
                    assertTrue(request.amount >= 100 && request.amount % 100 == 0, "piasters=" + request.amount);
                    returned[household] += request.amount;
                }
                default -> assertEquals(Purchases.BALANCE_INQUIRY, request.processingCode);
            }
        }
        assertTrue(kinds[MorningMix.KIND_BREAD] > 0 && kinds[MorningMix.KIND_RATION] > 0 && kinds[MorningMix.KIND_RETURN] > 0);
        // 300 households run out long before 20,000 requests: the rest are inquiries, never a purchase beyond the quota.
        assertTrue(kinds[MorningMix.KIND_INQUIRY] > requests / 4, "inquiries=" + kinds[MorningMix.KIND_INQUIRY]);
    }

    @Test
    void shouldReturnOnlyConfirmedPurchasesOnceEach()
    {
        final MorningMix mix = new MorningMix(data, ProgramRules.defaults());
        final MorningMix.Till grocer = mix.till(terminal(TerminalType.GROCER), 3);
        final TerminalRequest request = new TerminalRequest();
        final Map<String, Long> confirmed = new HashMap<>();
        int returns = 0;
        for (int i = 0; i < 2_000; i++)
        {
            request.clear();
            final int kind = grocer.next(request);
            if (kind == MorningMix.KIND_RETURN)
            {
                returns++;
                final Long spent = confirmed.get(request.pan);
                assertTrue(spent != null && spent >= request.amount, "pan's confirmed spend=" + spent + " return=" + request.amount);
                confirmed.put(request.pan, spent - request.amount);
            }
            else if (kind == MorningMix.KIND_RATION && i % 3 == 0)
            {
                // Only every third purchase is confirmed (the others were, say, shed with 91).
                confirmed.merge(request.pan, request.amount, Long::sum);
                grocer.confirmSale(grocer.lastSale());
            }
        }
        assertTrue(returns > 0, "returns=" + returns);
    }

    @Test
    void shouldLeaveReturnsToTheSenderWhenTheyAreDeferred()
    {
        final MorningMix mix = new MorningMix(data, ProgramRules.defaults());
        final MorningMix.Till grocer = mix.till(terminal(TerminalType.GROCER), 4);
        grocer.deferReturns();
        final TerminalRequest request = new TerminalRequest();
        final int[] kinds = new int[6];
        long sale = -1;
        String salePan = null;
        for (int i = 0; i < 2_000; i++)
        {
            request.clear();
            final int kind = grocer.next(request);
            kinds[kind]++;
            if (kind == MorningMix.KIND_RETURN_LATER)
            {
                // Nothing filled in: the place is the sender's to fill.
                assertEquals(null, request.pan);
                assertEquals(-1, request.amount);
                assertEquals(-1, grocer.lastSale());
            }
            else if (kind == MorningMix.KIND_RATION && sale < 0)
            {
                sale = grocer.lastSale();
                salePan = request.pan;
            }
        }
        // The mix's share of returns (8% of a grocer's requests) became places, none a return of its own.
        assertEquals(0, kinds[MorningMix.KIND_RETURN]);
        assertTrue(kinds[MorningMix.KIND_RETURN_LATER] > 100 && kinds[MorningMix.KIND_RETURN_LATER] < 260,
            "places=" + kinds[MorningMix.KIND_RETURN_LATER]);
        // Filled in when sent: an inquiry while no purchase is confirmed, then a return of the confirmed one, once.
        request.clear();
        assertEquals(MorningMix.KIND_INQUIRY, grocer.giveBackOrInquiry(request));
        assertEquals(Purchases.BALANCE_INQUIRY, request.processingCode);
        grocer.confirmSale(sale);
        request.clear();
        assertEquals(MorningMix.KIND_RETURN, grocer.giveBackOrInquiry(request));
        assertEquals(Purchases.RATION_RETURN, request.processingCode);
        assertEquals(salePan, request.pan);
        assertTrue(request.amount >= 100 && request.amount <= (sale & 0xFFFF_FFFFL), "return=" + request.amount + " sale=" + sale);
        request.clear();
        assertEquals(MorningMix.KIND_INQUIRY, grocer.giveBackOrInquiry(request));
    }

    private static SimulatedTerminal terminal(final byte type)
    {
        return new SimulatedTerminal(data.terminals(), UsablePools.activeTerminals(data.terminals(), type)[0]);
    }
}
