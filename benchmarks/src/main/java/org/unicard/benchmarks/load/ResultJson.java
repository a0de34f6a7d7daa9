package org.unicard.benchmarks.load;

import java.math.BigDecimal;
import java.math.MathContext;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The load test's JSON, through Jackson's tree model: one mapper, and measured figures written
 * with six significant digits (a throughput of 41,234.5678/s is {@code 41234.6}, a whole 2.0 is
 * {@code 2}), never in exponent form; a figure that is missing, NaN or infinite is {@code null}.
 */
public final class ResultJson
{
    /** The mapper for result files: plain decimals. */
    public static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private static final MathContext FIGURE = new MathContext(6);

    private ResultJson()
    {
    }

    /**
     * @param node  the object to add to.
     * @param name  the member's name.
     * @param value a measured figure, or {@code null}.
     * @return the node.
     */
    public static ObjectNode putFigure(final ObjectNode node, final String name, final Double value)
    {
        if (value == null || value.isNaN() || value.isInfinite())
        {
            return node.putNull(name);
        }
        return node.put(name, new BigDecimal(value).round(FIGURE).stripTrailingZeros());
    }
}
