package org.unicard.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;

/**
 * A seeded random stream of requests over {@link TestData}: purchases of every program, returns,
 * reversals (repeated, with other content, as 0420, and before their originals, which then follow),
 * retransmissions (some with other content), wrong PINs, operator commands, inquiries, eligibility
 * checks and invalid requests, with a clock that runs minutes to hours per step.
 */
public final class RandomTraffic
{
    private final Random random;
    private final Function<AuthRequest, AuthOutcome> live;
    private final AuthorizerHarness h;
    private final List<AuthRequest> financials = new ArrayList<>();
    private final List<AuthRequest> sent = new ArrayList<>();
    private final List<AuthRequest> withheld = new ArrayList<>();

    public RandomTraffic(final long seed, final AuthorizerHarness h, final Function<AuthRequest, AuthOutcome> sender)
    {
        random = new Random(seed);
        this.live = sender;
        this.h = h;
    }

    /** Advances the clock and sends one or two requests. */
    public void step()
    {
        h.advance(random.nextInt(10) == 0 ? Duration.ofMinutes(60 + random.nextInt(300)) :
            Duration.ofSeconds(random.nextInt(1_200)));
        final int kind = random.nextInt(100);
        if (kind < 40)
        {
            send(purchase());
        }
        else if (kind < 47)
        {
            send(refund());
        }
        else if (kind < 57 && !financials.isEmpty())
        {
            final AuthRequest original = pick(financials);
            final Requests reversal = Requests.reversalOf(original).stan(h.nextStan()).at(h.nowMs());
            if (random.nextInt(8) == 0)
            {
                reversal.amount(original.amount + 1);
            }
            if (random.nextInt(4) == 0)
            {
                reversal.mti(420);
            }
            send(reversal.build());
        }
        else if (kind < 61)
        {
            // A reversal before its original; the original follows later (and is declined 05).
            final AuthRequest original = purchase();
            live.apply(Requests.reversalOf(original).stan(h.nextStan()).at(h.nowMs()).build());
            withheld.add(original);
        }
        else if (kind < 64 && !withheld.isEmpty())
        {
            send(h.again(withheld.remove(random.nextInt(withheld.size()))));
        }
        else if (kind < 74 && !sent.isEmpty())
        {
            final AuthRequest again = h.again(pick(sent));
            if (random.nextInt(5) == 0)
            {
                again.contentHash++;
            }
            live.apply(again);
        }
        else if (kind < 78)
        {
            send(h.financial(TestData.GROCER).card(TestData.pan(card())).code(9400).egp(1 + random.nextInt(500)).wrongPin()
                .build());
        }
        else if (kind < 82)
        {
            final byte[] commands = {
                AuthRequest.COMMAND_QUERY, AuthRequest.COMMAND_COLLECT, AuthRequest.COMMAND_PIN_RESET,
                AuthRequest.COMMAND_PIN_RESET, AuthRequest.COMMAND_BLOCK_LOST, AuthRequest.COMMAND_BLOCK_STOLEN,
                AuthRequest.COMMAND_BLOCK_DAMAGED};
            final int command = random.nextInt(random.nextInt(10) == 0 ? commands.length : 3);
            live.apply(Requests.command(commands[command], TestData.pan(card())).at(h.nowMs()).build());
        }
        else if (kind < 88)
        {
            send(h.financial(TestData.POST).card(TestData.pan(card())).code(random.nextBoolean() ? 310000 : 319500)
                .rightPin().build());
        }
        else if (kind < 92)
        {
            send(h.authorization(TestData.HEALTH).card(TestData.pan(card())).code(9300).egp(1 + random.nextInt(3_000))
                .build());
        }
        else
        {
            send(invalid());
        }
    }

    private void send(final AuthRequest request)
    {
        live.apply(request);
        sent.add(request);
        if (request.mti == 200)
        {
            financials.add(request);
        }
    }

    private AuthRequest purchase()
    {
        final int card = card();
        final Requests request;
        switch (random.nextInt(7))
        {
            case 0, 1 -> request = h.financial(random.nextBoolean() ? TestData.GROCER : TestData.GROCER_2)
                .code(9100).egp(100 + random.nextInt(4_000));
            case 2 -> request = h.financial(TestData.BAKERY).code(9200).loaves(1 + random.nextInt(12));
            case 3 -> request = pin(h.financial(TestData.GROCER).code(9400).egp(100 + random.nextInt(20_000)));
            case 4 -> request = h.financial(TestData.HEALTH).code(9300).egp(100 + random.nextInt(5_000));
            case 5 -> request = pin(h.financial(TestData.POST).code(random.nextBoolean() ? 19500 : 19400)
                .egp(100 + random.nextInt(20_000)));
            default -> request = pin(h.acquirerFinancial(random.nextBoolean() ? TestData.BANK : TestData.POST_BANK)
                .code(9400).egp(100 + random.nextInt(10_000)));
        }
        return request.card(TestData.pan(card)).build();
    }

    private AuthRequest refund()
    {
        final Requests request = random.nextBoolean() ?
            h.financial(random.nextBoolean() ? TestData.GROCER : TestData.GROCER_2).code(209100) :
            pin(h.acquirerFinancial(random.nextBoolean() ? TestData.BANK : TestData.POST_BANK).code(209400));
        return request.card(TestData.pan(card())).egp(1 + random.nextInt(3_000)).build();
    }

    private AuthRequest invalid()
    {
        return switch (random.nextInt(5))
        {
            case 0 -> h.financial(TestData.GROCER).card(TestData.pan(card())).code(9101).egp(100).build();
            case 1 -> h.financial(TestData.GROCER).pan(TestData.withCheckDigit(603_666_999_000_000L + random.nextInt(1000)), 16)
                .code(9100).egp(100).build();
            case 2 -> h.financial(TestData.BAKERY).card(TestData.pan(card())).code(9100).egp(100).build();
            case 3 -> h.financial(TestData.BAKERY).card(TestData.pan(card())).code(9200).loaves(51).build();
            default -> h.financial(TestData.GROCER).card(TestData.pan(card())).code(9100).egp(-random.nextInt(100)).build();
        };
    }

    private Requests pin(final Requests request)
    {
        final int draw = random.nextInt(10);
        return draw < 8 ? request.rightPin() : draw < 9 ? request.wrongPin() : request;
    }

    private int card()
    {
        // Mostly the cards that transact; sometimes any card.
        final int[] usual = {TestData.HEAD, TestData.MEMBER, TestData.BIG_HEAD, TestData.EXEMPT, TestData.OLD_HEAD,
            TestData.NEW_HEAD};
        return random.nextInt(5) == 0 ? random.nextInt(TestData.CARD_COUNT) : usual[random.nextInt(usual.length)];
    }

    private AuthRequest pick(final List<AuthRequest> requests)
    {
        return requests.get(requests.size() - 1 - random.nextInt(Math.min(requests.size(), 200)));
    }
}
