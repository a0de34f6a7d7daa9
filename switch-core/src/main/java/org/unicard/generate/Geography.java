package org.unicard.generate;

/**
 * Governorates a national-size data set spreads households and terminals over, weighted by
 * population (rounded 2023 estimates, thousands), with their Arabic names for terminal names.
 */
final class Geography
{
    static final int[] CODES =
        {1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 32, 33, 34, 35};

    private static final int[] POPULATION_THOUSANDS =
        {10100, 5500, 780, 780, 1600, 6900, 7800, 6000, 3600, 5400, 4600, 6900, 1400, 9300, 3600, 4000, 6200, 4900,
            5600, 3600, 1600, 1400, 400, 260, 500, 470, 110};

    private static final String[] ARABIC_NAMES =
        {"القاهرة", "الإسكندرية", "بورسعيد", "السويس", "دمياط", "الدقهلية", "الشرقية", "القليوبية", "كفر الشيخ",
            "الغربية", "المنوفية", "البحيرة", "الإسماعيلية", "الجيزة", "بني سويف", "الفيوم", "المنيا", "أسيوط", "سوهاج",
            "قنا", "أسوان", "الأقصر", "البحر الأحمر", "الوادي الجديد", "مطروح", "شمال سيناء", "جنوب سيناء"};

    private static final int[] CUMULATIVE = new int[POPULATION_THOUSANDS.length];
    private static final int TOTAL;

    static
    {
        int total = 0;
        for (int i = 0; i < POPULATION_THOUSANDS.length; i++)
        {
            total += POPULATION_THOUSANDS[i];
            CUMULATIVE[i] = total;
        }
        TOTAL = total;
    }

    private Geography()
    {
    }

    /**
     * @param random a stream.
     * @return a governorate code drawn by population.
     */
    static int pick(final SplitMix64 random)
    {
        final int draw = random.below(TOTAL);
        for (int i = 0; i < CUMULATIVE.length; i++)
        {
            if (draw < CUMULATIVE[i])
            {
                return CODES[i];
            }
        }
        return CODES[CODES.length - 1];
    }

    /**
     * @param code a code of {@link #CODES}.
     * @return the governorate's Arabic name.
     */
    static String arabicName(final int code)
    {
        for (int i = 0; i < CODES.length; i++)
        {
            if (CODES[i] == code)
            {
                return ARABIC_NAMES[i];
            }
        }
        throw new IllegalArgumentException("governorate=" + code + " is not a place of residence");
    }
}
