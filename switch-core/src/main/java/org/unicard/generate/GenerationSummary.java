package org.unicard.generate;

/**
 * What a generation wrote.
 *
 * @param households      rows of households.csv.
 * @param citizens        household members (ration and bread individuals summed).
 * @param cards           rows of cards.csv, replaced old cards included.
 * @param bakeries        bakery terminals.
 * @param grocers         grocer terminals.
 * @param healthProviders health terminals.
 * @param postOffices     post terminals.
 * @param acquirers       rows of acquirers.csv.
 * @param elapsedNs       wall-clock time the generation took.
 */
public record GenerationSummary(
    long households,
    long citizens,
    long cards,
    int bakeries,
    int grocers,
    int healthProviders,
    int postOffices,
    int acquirers,
    long elapsedNs)
{
    /**
     * @return every terminal.
     */
    public int terminals()
    {
        return bakeries + grocers + healthProviders + postOffices;
    }
}
