package org.unicard.security;

import java.util.HashMap;
import java.util.Map;

/**
 * Writes the eight DES S-boxes as straight-line Boolean circuits over {@code long} words, for
 * {@link BitslicedDes}: each word holds one bit of 64 independent blocks, so one circuit evaluates
 * an S-box for 64 blocks at once.
 * <p>
 * How a circuit is found: every output bit of an S-box is a function of its six input bits, known
 * as a 64-entry truth table. A function is split on one input {@code x} at a time (Shannon expansion)
 * until only two inputs are left, and every function of two inputs is one or two operations on them.
 * Of the three ways to select by {@code x} between the two halves {@code f0} and {@code f1} —
 * {@code f0 ^ ((f0 ^ f1) & x)}, {@code f1 ^ ((f0 ^ f1) & ~x)}, {@code (f0 & ~x) | (f1 & x)} — each
 * split takes the one that adds the fewest operations, given what is built already. Each distinct
 * truth table is computed once and shared by the four outputs. All 720 orders of the six inputs are
 * tried and the order with the fewest operations kept. This gives 70–100 operations an S-box, about
 * 1.6 times what hand-searched circuits reach; on this machine the circuits' size moves the rounds'
 * time little (839 operations in all before the three ways, 703 after: 1.51 → 1.44 µs for 16 rounds).
 * <p>
 * Run: {@code java -cp security/target/classes:security/target/test-classes org.unicard.security.SboxCircuits}
 * (after {@code mvn -pl security test-compile}) prints the methods {@link BitslicedDes} holds between its
 * "circuits" markers; {@code BitslicedDesTest} checks that the two agree.
 */
public final class SboxCircuits
{
    private static final long ALL = -1L;

    private SboxCircuits()
    {
    }

    /**
     * @param args none.
     */
    public static void main(final String[] args)
    {
        System.out.print(javaSource());
    }

    /**
     * @return the Java source of {@code rounds} and of the methods {@code s1} to {@code s8}, each
     *         reading its six input words (E's choice of the half's words, XORed with the subkey words)
     *         and XORing its four output words into the other half (where P puts them).
     */
    public static String javaSource()
    {
        final StringBuilder source = new StringBuilder();
        source.append("    /**\n")
            .append("     * The 16 rounds over 64 lanes, in the initial permutation's order: {@code l} and {@code r} hold the\n")
            .append("     * halves' 32 bits each, {@code k} the subkeys ({@link #KEY_WORDS} words, round by round). On return\n")
            .append("     * {@code l} holds R16 and {@code r} L16, the pre-output block in the order the next CBC step reads.\n")
            .append("     */\n")
            .append("    static void rounds(final long[] l, final long[] r, final long[] k)\n    {\n")
            .append("        for (int round = 0; round < 16; round += 2)\n        {\n")
            .append("            final int a = round * 48;\n")
            .append("            final int b = a + 48;\n");
        roundCalls(source, "r", "l", "a");
        roundCalls(source, "l", "r", "b");
        source.append("        }\n")
            .append("        for (int i = 0; i < 32; i++)\n        {\n")
            .append("            final long t = l[i];\n            l[i] = r[i];\n            r[i] = t;\n        }\n    }\n\n");
        final int[] destination = new int[32];
        for (int i = 0; i < 32; i++)
        {
            destination[Des.P[i] - 1] = i;
        }
        for (int box = 0; box < 8; box++)
        {
            final Circuit best = best(box);
            source.append("    /** S-box ").append(box + 1).append(": ").append(best.operations)
                .append(" operations (inputs split in the order ").append(best.order).append("). */\n");
            source.append("    private static void s").append(box + 1)
                .append("(final long[] in, final long[] k, final int key, final long[] out)\n    {\n");
            for (int input = 0; input < 6; input++)
            {
                // The expansion E: input k of S-box j is bit (4j + k - 1) mod 32 of the half.
                source.append("        final long x").append(input).append(" = in[").append((4 * box + input - 1 + 32) % 32)
                    .append("] ^ k[key + ").append(6 * box + input).append("];\n");
            }
            source.append(best.body);
            for (int bit = 0; bit < 4; bit++)
            {
                // The permutation P: S-box j's output bit m goes where P takes bit 4j + m.
                source.append("        out[").append(destination[4 * box + bit]).append("] ^= ").append(best.outputs[bit]).append(";\n");
            }
            source.append("    }\n\n");
        }
        return source.toString();
    }

    /** One half round: the eight S-boxes read the half {@code from} and the subkeys at {@code key}, and change {@code into}. */
    private static void roundCalls(final StringBuilder source, final String from, final String into, final String key)
    {
        for (int box = 0; box < 8; box++)
        {
            source.append("            s").append(box + 1).append('(').append(from).append(", k, ").append(key).append(", ")
                .append(into).append(");\n");
        }
    }

    /**
     * @param box S-box index, 0 to 7.
     * @param bit output bit, 0 (most significant) to 3.
     * @return the output bit's truth table: bit {@code v} is the output for the six input bits
     *         {@code v} ({@code b1} most significant).
     */
    static long truthTable(final int box, final int bit)
    {
        long table = 0;
        for (int v = 0; v < 64; v++)
        {
            final int row = ((v >>> 4) & 0b10) | (v & 1);
            final int column = (v >>> 1) & 0xF;
            if (((Des.S_BOXES[box][row * 16 + column] >>> (3 - bit)) & 1) != 0)
            {
                table |= 1L << v;
            }
        }
        return table;
    }

    private static Circuit best(final int box)
    {
        Circuit best = null;
        final int[] order = {0, 1, 2, 3, 4, 5};
        do
        {
            final Circuit circuit = new Circuit(box, order);
            if (best == null || circuit.operations < best.operations)
            {
                best = circuit;
            }
        }
        while (nextPermutation(order));
        return best;
    }

    private static boolean nextPermutation(final int[] values)
    {
        int i = values.length - 2;
        while (i >= 0 && values[i] >= values[i + 1])
        {
            i--;
        }
        if (i < 0)
        {
            return false;
        }
        int j = values.length - 1;
        while (values[j] <= values[i])
        {
            j--;
        }
        swap(values, i, j);
        for (int a = i + 1, b = values.length - 1; a < b; a++, b--)
        {
            swap(values, a, b);
        }
        return true;
    }

    private static void swap(final int[] values, final int i, final int j)
    {
        final int t = values[i];
        values[i] = values[j];
        values[j] = t;
    }

    /** Truth table of input {@code k} (0 is {@code b1}). */
    private static long input(final int k)
    {
        long table = 0;
        for (int v = 0; v < 64; v++)
        {
            if (((v >>> (5 - k)) & 1) != 0)
            {
                table |= 1L << v;
            }
        }
        return table;
    }

    /** One S-box's circuit for one order of its inputs. */
    private static final class Circuit
    {
        final String order;
        final String[] outputs = new String[4];
        final StringBuilder body = new StringBuilder();
        int operations;

        private final int[] split;
        private final Map<Long, String> names = new HashMap<>();
        private int temporaries;

        Circuit(final int box, final int[] order)
        {
            this.split = order.clone();
            final StringBuilder text = new StringBuilder();
            for (final int k : order)
            {
                text.append('x').append(k).append(' ');
            }
            this.order = text.toString().trim();
            for (int k = 0; k < 6; k++)
            {
                names.put(input(k), "x" + k);
            }
            names.put(0L, "0L");
            names.put(ALL, "-1L");
            for (int bit = 0; bit < 4; bit++)
            {
                outputs[bit] = build(truthTable(box, bit), 4);
            }
        }

        /** The function {@code table}, of inputs {@code split[0..level+1]} only. */
        private String build(final long table, final int level)
        {
            final String known = names.get(table);
            if (known != null)
            {
                return known;
            }
            if (0 == level)
            {
                return ofTwo(table);
            }
            final int x = split[level + 1];
            final long on = input(x);
            final long low = cofactor(table, x, false);
            final long high = cofactor(table, x, true);
            if (low == high)
            {
                return build(low, level - 1);
            }
            if (0 == low)
            {
                return define(table, build(high, level - 1) + " & x" + x, 1);
            }
            if (0 == high)
            {
                return define(table, build(low, level - 1) + " & ~x" + x, 1);
            }
            // Three ways to select by x; take the one that adds the fewest operations, counting the
            // sub-functions not yet built (each costed as the first way would build it).
            final long difference = low ^ high;
            final int fromLow = 2 + newOperations(level - 1, low, difference);
            final int fromHigh = 2 + newOperations(level - 1, high, difference);
            final int fromBoth = 3 + newOperations(level - 1, low, high);
            if (fromLow <= fromHigh && fromLow <= fromBoth)
            {
                final String lowName = build(low, level - 1);
                final String differenceName = build(difference, level - 1);
                assert (low ^ (difference & on)) == table;
                return define(table, lowName + " ^ (" + differenceName + " & x" + x + ")", 2);
            }
            if (fromHigh <= fromBoth)
            {
                final String highName = build(high, level - 1);
                final String differenceName = build(difference, level - 1);
                assert (high ^ (difference & ~on)) == table;
                return define(table, highName + " ^ (" + differenceName + " & ~x" + x + ")", 2);
            }
            final String lowName = build(low, level - 1);
            final String highName = build(high, level - 1);
            assert ((low & ~on) | (high & on)) == table;
            return define(table, "(" + lowName + " & ~x" + x + ") | (" + highName + " & x" + x + ")", 3);
        }

        /** Operations that building both functions would add, each new sub-function counted once. */
        private int newOperations(final int level, final long first, final long second)
        {
            final java.util.Set<Long> counted = new java.util.HashSet<>();
            return newOperations(first, level, counted) + newOperations(second, level, counted);
        }

        /** Operations that {@link #build} would add for {@code table} by the first way alone, skipping {@code counted}. */
        private int newOperations(final long table, final int level, final java.util.Set<Long> counted)
        {
            if (names.containsKey(table) || counted.contains(table))
            {
                return 0;
            }
            if (0 == level)
            {
                counted.add(table);
                return ofTwoCost(table);
            }
            final int x = split[level + 1];
            final long low = cofactor(table, x, false);
            final long high = cofactor(table, x, true);
            if (low == high)
            {
                return newOperations(low, level - 1, counted);
            }
            final int operations = 0 == low ? 1 + newOperations(high, level - 1, counted) :
                0 == high ? 1 + newOperations(low, level - 1, counted) :
                2 + newOperations(low, level - 1, counted) + newOperations(low ^ high, level - 1, counted);
            counted.add(table);
            return operations;
        }

        /** Every function of the two inputs {@code split[0]} and {@code split[1]}, in one or two operations. */
        private String ofTwo(final long table)
        {
            final String p = "x" + split[0];
            final String q = "x" + split[1];
            final String[] expressions = {
                p + " & " + q, p + " | " + q, p + " ^ " + q, "~" + p, "~" + q, p + " & ~" + q, "~" + p + " & " + q,
                "~(" + p + " & " + q + ")", "~(" + p + " | " + q + ")", "~(" + p + " ^ " + q + ")", p + " | ~" + q, "~" + p + " | " + q,
            };
            final int i = ofTwoIndex(table);
            return define(table, expressions[i], ofTwoCost(table));
        }

        /** Operations {@link #ofTwo} spends: one for the first seven forms, two for the others. */
        private int ofTwoCost(final long table)
        {
            return ofTwoIndex(table) < 7 ? 1 : 2;
        }

        private int ofTwoIndex(final long table)
        {
            final long x = input(split[0]);
            final long y = input(split[1]);
            final long[] tables = {
                x & y, x | y, x ^ y, ~x, ~y, x & ~y, ~x & y,
                ~(x & y), ~(x | y), ~(x ^ y), x | ~y, ~x | y,
            };
            for (int i = 0; i < tables.length; i++)
            {
                if (tables[i] == table)
                {
                    return i;
                }
            }
            throw new IllegalStateException("not a function of x" + split[0] + " and x" + split[1] + ": " + Long.toHexString(table));
        }

        private String define(final long table, final String expression, final int cost)
        {
            final String name = "t" + temporaries++;
            body.append("        final long ").append(name).append(" = ").append(expression).append(";\n");
            operations += cost;
            names.put(table, name);
            return name;
        }

        /** {@code table} with input {@code x} fixed to {@code value}, as a function that ignores {@code x}. */
        private static long cofactor(final long table, final int x, final boolean value)
        {
            final int shift = 5 - x;
            long result = 0;
            for (int v = 0; v < 64; v++)
            {
                final int fixed = value ? v | (1 << shift) : v & ~(1 << shift);
                result |= ((table >>> fixed) & 1) << v;
            }
            return result;
        }
    }
}
