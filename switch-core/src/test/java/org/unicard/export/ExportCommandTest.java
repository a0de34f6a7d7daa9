package org.unicard.export;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.Authorizer;
import org.unicard.authorizer.ResponseCode;
import org.unicard.changes.ChangeApplier;
import org.unicard.changes.ChangeBatch;
import org.unicard.changes.ChangeFiles;
import org.unicard.changes.ChangeParser;
import org.unicard.changes.ChangeReplayer;
import org.unicard.cli.UnicardMain;
import org.unicard.config.ProgramRules;
import org.unicard.importer.DataSetImporter;
import org.unicard.journal.ChronicleJournal;
import org.unicard.journal.JournalRecord;
import org.unicard.security.Hex;
import org.unicard.security.KeyCipher;
import org.unicard.security.LocalMasterKey;
import org.unicard.security.TdesKey;
import org.unicard.server.WireData;
import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.TerminalTable;
import org.unicard.testing.Requests;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/unicard export} on a journal holding requests and a change batch: the data set it writes
 * imports again, and every household, card, terminal and acquirer of it equals the switch's state
 * (changes applied, live statuses, wallet balances, rotated keys); what §10 cannot hold is listed.
 */
class ExportCommandTest
{
    private static final String TAK2_HEX = "6D6D6D6D6D6D6D6D7A7A7A7A7A7A7A7A";

    @TempDir
    Path directory;

    @Test
    void shouldExportTheLiveStateAsADataSetThatImportsBackEqual() throws Exception
    {
        final Path data = directory.resolve("data");
        WireData.write(data);
        final TdesKey lmk = LocalMasterKey.parse(WireData.LMK_HEX, "test");
        final Path config = directory.resolve("export.properties");
        Files.writeString(config, "security.lmk = " + WireData.LMK_HEX + "\nsnapshot.after-import = false\n");

        final DataSet live = DataSetImporter.load(data, lmk);
        final Authorizer authorizer = new Authorizer(live, ProgramRules.defaults(), 4096, 4096);
        final long genesisMs = WireData.CLOCK.toEpochMilli();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_BYTES]);
        final JournalRecord record = new JournalRecord();
        final long newPan = org.unicard.testing.TestData.withCheckDigit(507_803_000_000_011L);
        try (ChronicleJournal journal = ChronicleJournal.open(data.resolve("journal")))
        {
            authorizer.genesis(genesisMs);
            journal.append(buffer, record.encodeGenesis(buffer, genesisMs, live.fingerprint()));
            final AuthRequest wallet = Requests.financial().terminal(1).card(Long.parseLong(WireData.MEMBER)).code(9400).egp(500)
                .rightPin().stan(1).at(genesisMs + 1000).build();
            final AuthOutcome paid = new AuthOutcome();
            authorizer.authorize(wallet, paid);
            assertEquals(ResponseCode.APPROVED, paid.responseCode);
            journal.append(buffer, record.encodeRequest(buffer, wallet, paid));

            final String tak2 = Hex.encode(KeyCipher.encryptUnderLmk(lmk, Hex.parseKey(TAK2_HEX)));
            final byte[] body = String.join("\n",
                "{\"op\":\"household\",\"household_id\":2001,\"governorate\":\"04\",\"ration_individuals\":3,\"bread_individuals\":2," +
                    "\"cash_support_piasters\":1500}",
                "{\"op\":\"card\",\"pan\":\"" + newPan + "\",\"national_id\":\"28001010300111\",\"household_id\":2001,\"role\":\"head\"," +
                    "\"status\":\"collected\",\"issued_on\":\"2026-11-20\",\"expiry\":\"3012\",\"pvv\":\"0123\",\"programs\":\"ration;bread;cash;wallet\"," +
                    "\"health_exempt\":true,\"replaces_pan\":\"\",\"mobile\":\"01012345679\",\"wallet_piasters\":700}",
                "{\"op\":\"card\",\"pan\":\"" + WireData.LOST + "\",\"national_id\":\"28501010300041\",\"household_id\":" +
                    WireData.HOUSEHOLD_LARGE + ",\"role\":\"member\",\"status\":\"collected\",\"issued_on\":\"2026-10-01\",\"expiry\":\"3012\"," +
                    "\"pvv\":\"0042\",\"programs\":\"health;wallet\",\"health_exempt\":false,\"replaces_pan\":\"\",\"mobile\":\"\"}",
                "{\"op\":\"terminal\",\"terminal_id\":\"" + WireData.GROCER + "\",\"merchant_id\":\"" + WireData.MERCHANT_GROCER + "\"," +
                    "\"type\":\"grocer\",\"governorate\":\"03\",\"name\":\"Grocer one, renamed\",\"tpk_under_lmk\":\"\",\"tak_under_lmk\":\"" + tak2 +
                    "\",\"status\":\"active\"}").getBytes(StandardCharsets.UTF_8);
            final ChangeBatch batch = new ChangeParser(lmk).parse("export-1", body).batch();
            ChangeFiles.write(journal.directory(), batch.id(), batch.sha256(), body);
            final ChangeApplier.Outcome outcome = new ChangeApplier(live, authorizer).apply(batch, genesisMs + 2000);
            assertTrue(outcome.applied(), () -> outcome.errors().toString());
            journal.append(buffer, record.encodeChanges(buffer, outcome.businessTimeMs(), outcome.counts().applied(), batch.lines(),
                batch.bodyBytes(), batch.sha256(), ChangeReplayer.countsOf(outcome.counts()), batch.id()));
        }

        final Path out = directory.resolve("exported");
        final StringWriter stdout = new StringWriter();
        final StringWriter stderr = new StringWriter();
        final CommandLine command = UnicardMain.commandLine();
        command.setOut(new PrintWriter(stdout));
        command.setErr(new PrintWriter(stderr));
        assertEquals(0, command.execute("export", "--data", data.toString(), "--config", config.toString(), "--out", out.toString()),
            stderr::toString);
        assertTrue(stdout.toString().contains("households=3 cards=9 terminals=6 acquirers=1 journal-records=3"), stdout::toString);

        final DataSet exported = DataSetImporter.load(out, lmk);
        final HouseholdTable households = live.households();
        assertEquals(households.size(), exported.households().size());
        for (int h = 0; h < households.size(); h++)
        {
            final int e = exported.households().indexOf(households.householdId(h));
            assertEquals(households.governorate(h), exported.households().governorate(e));
            assertEquals(households.rationIndividuals(h), exported.households().rationIndividuals(e));
            assertEquals(households.breadIndividuals(h), exported.households().breadIndividuals(e));
            assertEquals(households.cashSupportMonthlyPiasters(h), exported.households().cashSupportMonthlyPiasters(e));
        }
        final CardTable cards = live.cards();
        assertEquals(cards.size(), exported.cards().size());
        for (int c = 0; c < cards.size(); c++)
        {
            final int e = exported.cards().indexOf(cards.pan(c));
            assertEquals(cards.walletBalancePiasters(c), exported.cards().walletBalancePiasters(e), "wallet of card " + c);
            assertEquals(cards.status(c), exported.cards().status(e), "status of card " + c);
            assertEquals(cards.programs(c), exported.cards().programs(e));
            assertEquals(cards.flags(c) & ~CardTable.FLAG_USED, exported.cards().flags(e));
            assertEquals(cards.nationalId(c), exported.cards().nationalId(e));
            assertEquals(cards.issuedDay(c), exported.cards().issuedDay(e));
            assertEquals(cards.expiryYyMm(c), exported.cards().expiryYyMm(e));
            assertEquals(cards.pvv(c), exported.cards().pvv(e));
            assertEquals(cards.mobile(c), exported.cards().mobile(e));
            assertEquals(households.householdId(cards.household(c)), exported.households().householdId(exported.cards().household(e)));
        }
        assertEquals(5_000 - 500, exported.cards().walletBalancePiasters(exported.cards().indexOf(Long.parseLong(WireData.MEMBER))));
        assertEquals(700, exported.cards().walletBalancePiasters(exported.cards().indexOf(newPan)));
        assertEquals(CardStatus.COLLECTED, exported.cards().status(exported.cards().indexOf(Long.parseLong(WireData.LOST))), "unblocked by the batch");
        final int grocer = exported.terminals().indexOf(TerminalTable.packTerminalId(WireData.GROCER));
        assertArrayEquals(Hex.parseKey(TAK2_HEX), exported.terminals().macKey[grocer], "the rotated key");
        assertEquals("Grocer one, renamed", exported.terminals().name[grocer]);
        assertEquals("مخبز الأمل, بورسعيد", exported.terminals().name[exported.terminals().indexOf(TerminalTable.packTerminalId(WireData.BAKERY))]);
        assertEquals(live.acquirers().size(), exported.acquirers().size());
        assertArrayEquals(live.pinVerificationKey(), exported.pinVerificationKey());
        assertEquals("household_id,what,amount\n" + WireData.HOUSEHOLD_LARGE + ",cash_balance_piasters,50000\n2001,cash_balance_piasters,1500\n",
            Files.readString(out.resolve(DataSetExporter.NOT_CARRIED)), "the cash balances §10 has no column for");
        assertTrue(Files.readString(data.resolve("cards.csv")).contains(WireData.LOST + ",28501010300041," + WireData.HOUSEHOLD_LARGE +
            ",member,blocked_lost"), "the data files are never rewritten");
    }
}
