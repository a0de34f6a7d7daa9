package org.unicard.tools.traffic;

import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.TerminalTable;

/**
 * Which cards and terminals simulated traffic is drawn from, decided once for every generator: a
 * card can transact when it is collected and no newer card replaces it; a terminal when it is
 * active. Every list is in table order, so a seeded generator draws the same cards on every run.
 */
public final class UsablePools
{
    private UsablePools()
    {
    }

    /**
     * @param cards the card table.
     * @param card  a card index.
     * @return whether a terminal presenting this card can be approved: collected, and not replaced.
     */
    public static boolean canTransact(final CardTable cards, final int card)
    {
        return cards.status(card) == CardStatus.COLLECTED && cards.replacesCard(card) == CardTable.NO_CARD;
    }

    /**
     * @param cards   the card table.
     * @param program a {@link org.unicard.state.Program} bit.
     * @return the indexes of the cards that can transact and hold the program.
     */
    public static int[] cards(final CardTable cards, final int program)
    {
        return select(cards, program, false);
    }

    /**
     * @param cards   the card table.
     * @param program a {@link org.unicard.state.Program} bit.
     * @return the indexes of the heads-of-household cards that can transact and hold the program.
     */
    public static int[] headCards(final CardTable cards, final int program)
    {
        return select(cards, program, true);
    }

    /**
     * @param cards the card table.
     * @return the indexes of the cards a terminal may present but that must be declined: blocked as
     *         lost or stolen (41, 43), or issued and never collected (62).
     */
    public static int[] declinedCards(final CardTable cards)
    {
        int count = 0;
        final int[] found = new int[cards.size()];
        for (int card = 0; card < cards.size(); card++)
        {
            final byte status = cards.status(card);
            if (status == CardStatus.BLOCKED_LOST || status == CardStatus.BLOCKED_STOLEN || status == CardStatus.ISSUED)
            {
                found[count++] = card;
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }

    /**
     * @param terminals the terminal table.
     * @param type      a {@link org.unicard.state.TerminalType}.
     * @return the indexes of the active terminals of that type.
     */
    public static int[] activeTerminals(final TerminalTable terminals, final byte type)
    {
        int count = 0;
        final int[] found = new int[terminals.size()];
        for (int terminal = 0; terminal < terminals.size(); terminal++)
        {
            if (terminals.active[terminal] && terminals.type[terminal] == type)
            {
                found[count++] = terminal;
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }

    /**
     * @param cards   the card table.
     * @param indexes card indexes.
     * @return their PANs as text (built once, not per request).
     */
    public static String[] pans(final CardTable cards, final int[] indexes)
    {
        final String[] pans = new String[indexes.length];
        for (int i = 0; i < indexes.length; i++)
        {
            pans[i] = Long.toString(cards.pan(indexes[i]));
        }
        return pans;
    }

    private static int[] select(final CardTable cards, final int program, final boolean headsOnly)
    {
        int count = 0;
        final int[] found = new int[cards.size()];
        for (int card = 0; card < cards.size(); card++)
        {
            if (canTransact(cards, card) && (cards.programs(card) & program) != 0 && (!headsOnly || cards.hasFlag(card, CardTable.FLAG_HEAD)))
            {
                found[count++] = card;
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }
}
