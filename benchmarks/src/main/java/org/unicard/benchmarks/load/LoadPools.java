package org.unicard.benchmarks.load;

import java.util.ArrayList;
import java.util.List;

import org.unicard.state.CardStatus;
import org.unicard.state.CardTable;
import org.unicard.state.TerminalTable;

/**
 * The cards and terminals a load is drawn from, as the load generator and the ring-stage
 * benchmark both choose them: collected cards that no newer card replaces, and active terminals.
 */
public final class LoadPools
{
    private LoadPools()
    {
    }

    /**
     * @param cards   the card table.
     * @param program a {@link org.unicard.state.Program} bit.
     * @return the PANs of collected, not replaced cards that hold the program, in table order.
     */
    public static List<Long> pans(final CardTable cards, final int program)
    {
        final List<Long> pans = new ArrayList<>();
        for (int card = 0; card < cards.size(); card++)
        {
            if (cards.status(card) == CardStatus.COLLECTED && cards.replacesCard(card) == CardTable.NO_CARD &&
                (cards.programs(card) & program) != 0)
            {
                pans.add(cards.pan(card));
            }
        }
        return pans;
    }

    /**
     * @param terminals the terminal table.
     * @param type      a {@link org.unicard.state.TerminalType}.
     * @return the indexes of the active terminals of that type, in table order.
     */
    public static List<Integer> activeTerminals(final TerminalTable terminals, final byte type)
    {
        final List<Integer> found = new ArrayList<>();
        for (int terminal = 0; terminal < terminals.size(); terminal++)
        {
            if (terminals.active[terminal] && terminals.type[terminal] == type)
            {
                found.add(terminal);
            }
        }
        return found;
    }
}
