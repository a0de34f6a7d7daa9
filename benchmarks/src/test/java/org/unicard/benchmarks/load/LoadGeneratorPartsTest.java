package org.unicard.benchmarks.load;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.unicard.benchmarks.jpos.JposBaselineServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadGeneratorPartsTest
{
    @Test
    void shouldWrapStansSoThatTheirSlotsKeepAdvancing()
    {
        final int last = PipelinedTerminalsToSwitch.STAN_CYCLE;
        assertTrue(last <= 999_999, "six digits");
        assertEquals((last % PipelinedTerminalsToSwitch.HISTORY + 1) % PipelinedTerminalsToSwitch.HISTORY,
            1 % PipelinedTerminalsToSwitch.HISTORY, "the slot after the last STAN is the slot of STAN 1");
    }

    @Test
    void shouldScheduleRequestsAtFixedIntervalsWhateverTheSenderDid()
    {
        final IntendedStartSchedule schedule = new IntendedStartSchedule(1_000, 250);
        assertEquals(1_000, schedule.nextIntendedNs());
        schedule.advance();
        schedule.advance();
        assertEquals(1_500, schedule.nextIntendedNs());
        assertTrue(schedule.isDue(1_500));
        assertFalse(schedule.isDue(1_499));
    }

    @Test
    void shouldChargeAStalledSenderToTheLatencyOfEveryRequestItDelayed()
    {
        // 1,000/s on one connection: a request each millisecond. The server stalls for 100 ms; the
        // sender sends the 100 overdue requests at once when it recovers, each answered in 10 µs.
        final IntendedStartSchedule schedule = new IntendedStartSchedule(0, IntendedStartSchedule.intervalNs(1_000, 1));
        final Histogram corrected = new Histogram(3_600_000_000L, 3);
        final long recoveredNs = 100_000_000L;
        for (int i = 0; i < 100; i++)
        {
            final long intendedNs = schedule.nextIntendedNs();
            schedule.advance();
            corrected.recordValue(IntendedStartSchedule.latencyUs(intendedNs, recoveredNs + 10_000));
        }
        assertEquals(100, corrected.getTotalCount());
        assertEquals(100_010, corrected.getMaxValue(), 100);
        assertEquals(50_010, corrected.getValueAtPercentile(50), 100);
        assertTrue(corrected.getMinValue() >= 1_000 && corrected.getMinValue() <= 1_020, "min=" + corrected.getMinValue());
    }

    @Test
    void shouldSpreadTheRateOverConnections()
    {
        assertEquals(160_000, IntendedStartSchedule.intervalNs(100_000, 16));
        assertEquals(1, IntendedStartSchedule.intervalNs(1e12, 1));
    }

    @Test
    void shouldAcceptTargetAndDataOrSelf()
    {
        assertEquals(List.of(), options("127.0.0.1:9000", "/data", false, false, 16, 8, 15, null).problems());
        assertEquals(List.of(), options(null, null, true, false, 16, 8, 15, 50_000.0).problems());
        assertEquals(List.of(), options(null, null, false, true, 1, 1, 1, null).problems());
        assertEquals(9000, options("localhost:9000", "/data", false, false, 1, 1, 1, null).port());
        assertEquals("localhost", options("localhost:9000", "/data", false, false, 1, 1, 1, null).host());
    }

    @Test
    void shouldRejectEveryBadOptionWithItsValue()
    {
        assertEquals(1, options(null, null, false, false, 16, 8, 15, null).problems().size());
        assertEquals(1, options("127.0.0.1:9000", "/d", true, false, 16, 8, 15, null).problems().size());
        assertTrue(options("127.0.0.1", "/d", false, false, 16, 8, 15, null).problems().get(0).contains("target=127.0.0.1"));
        assertTrue(options("h:0", "/d", false, false, 16, 8, 15, null).problems().get(0).contains("target=h:0"));
        assertTrue(options("h:x", "/d", false, false, 16, 8, 15, null).problems().get(0).contains("target=h:x"));
        assertTrue(options("h:1", "/d", false, false, 0, 8, 15, null).problems().get(0).contains("connections=0"));
        assertTrue(options("h:1", "/d", false, false, 1, 0, 15, null).problems().get(0).contains("inFlight=0"));
        assertTrue(options("h:1", "/d", false, false, 1, PipelinedTerminalsToSwitch.MAX_IN_FLIGHT + 1, 15, null)
            .problems().get(0).contains("inFlight=" + (PipelinedTerminalsToSwitch.MAX_IN_FLIGHT + 1)));
        assertTrue(options("h:1", "/d", false, false, 1, 1, 0, null).problems().get(0).contains("duration=0"));
        assertTrue(options("h:1", "/d", false, false, 1, 1, 1, -5.0).problems().get(0).contains("rate=-5.0"));
        assertTrue(options("h:1", "/d", false, false, 1, 1, 1, Double.NaN).problems().get(0).contains("rate=NaN"));
    }

    @Test
    void shouldAcceptASpinningGeneratorOnlyInAnOpenLoop()
    {
        assertEquals(List.of(), new LoadOptions(null, null, 16, 64, 10, 8, 20_000.0, true, false, 50_000, true, false).problems());
        assertEquals(List.of("--spin is for the open loop, which times each request: give --rate as well"),
            new LoadOptions(null, null, 16, 8, 10, 8, null, true, false, 50_000, true, false).problems());
    }

    @Test
    void shouldPrepareWhatTheRunSendsWithinAQuarterOfTheHeap()
    {
        final long heap = 6L << 30;
        // Open loop, 20,000/s on 16 connections for 8 + 10 s: 1,250/s each, 22,500, plus 2 for rounding.
        assertEquals(22_502, PipelinedTerminalsToSwitch.preparedPerLane(
            new LoadOptions(null, null, 16, 64, 10, 8, 20_000.0, true, false, 50_000, false, true), heap));
        // Closed loop: 200,000/s over 18 s on 16 connections, plus a window.
        assertEquals(225_008, PipelinedTerminalsToSwitch.preparedPerLane(
            new LoadOptions(null, null, 16, 8, 10, 8, null, true, false, 50_000, false, true), heap));
        // 10 million/s for 10 minutes would be 6 billion requests: a quarter of a 1 GiB heap, at 108 bytes each.
        assertEquals((1L << 30) / 4 / 108, PipelinedTerminalsToSwitch.preparedPerLane(
            new LoadOptions(null, null, 1, 64, 600, 0, 10_000_000.0, true, false, 50_000, false, true), 1L << 30));
    }

    @Test
    void shouldWriteFiguresWithSixSignificantDigitsAndNullForMissingOnes() throws Exception
    {
        final ObjectNode json = ResultJson.MAPPER.createObjectNode().put("name", "a\"b\\c\n");
        ResultJson.putFigure(json, "ratio", 1.0 / 3);
        ResultJson.putFigure(json, "whole", 2.0);
        ResultJson.putFigure(json, "large", 41_234.5678);
        ResultJson.putFigure(json, "tiny", 0.000_012_345_678);
        ResultJson.putFigure(json, "none", null);
        ResultJson.putFigure(json, "nan", Double.NaN);
        ResultJson.putFigure(json, "infinite", Double.POSITIVE_INFINITY);
        final String text = ResultJson.MAPPER.writeValueAsString(json);

        assertEquals("{\"name\":\"a\\\"b\\\\c\\n\",\"ratio\":0.333333,\"whole\":2,\"large\":41234.6,\"tiny\":0.0000123457," +
            "\"none\":null,\"nan\":null,\"infinite\":null}", text);
        final JsonNode read = ResultJson.MAPPER.readTree(text);
        assertEquals("a\"b\\c\n", read.path("name").textValue(), "reads back as written");
        assertEquals(0.0000123457, read.path("tiny").doubleValue());
        assertTrue(read.path("nan").isNull());
    }

    @Test
    void shouldPassOnlyWhenEveryRequestGotOneExpectedResponse()
    {
        final long[] codes = new long[100];
        codes[0] = 90;
        codes[51] = 10;
        assertTrue(result(codes, 100, 100, 0, 0, 0).pass());
        assertFalse(result(codes, 100, 99, 1, 0, 0).pass());
        assertFalse(result(codes, 100, 100, 0, 1, 0).pass());
        assertFalse(result(codes, 100, 100, 0, 0, 3).pass());
        assertTrue(PipelinedTerminalsToSwitch.isExpected(51));
        assertFalse(PipelinedTerminalsToSwitch.isExpected(63));
    }

    @Test
    void shouldReportThroughputAndPercentilesInTheJson() throws Exception
    {
        final long[] codes = new long[100];
        codes[0] = 200;
        final LoadResult result = result(codes, 200, 200, 0, 0, 0);
        assertEquals(100.0, result.throughput());
        final JsonNode json = ResultJson.MAPPER.readTree(ResultJson.MAPPER.writeValueAsString(result.toJson()));
        assertEquals(100, json.path("throughputPerSecond").intValue(), json.toString());
        assertTrue(json.path("throughputPerSecond").isIntegralNumber(), json.toString());
        assertEquals(ResultJson.MAPPER.createObjectNode().put("00", 200), json.path("codes"));
        assertTrue(json.path("check").path("pass").booleanValue(), json.toString());
        assertTrue(json.path("rate").isNull(), json.toString());
        assertEquals(1.0, json.path("latencyMs").path("p50").doubleValue(), json.toString());
        assertTrue(LatencyChart.html("t", List.of(result, result)).contains("<polyline"));
    }

    @Test
    void shouldSplitResponseFramesWhereverTheReadsCutThem()
    {
        // Three frames of 3, 1 and 300 bytes, delivered in every split into two reads, heap and direct.
        final byte[] stream = new byte[2 + 3 + 2 + 1 + 2 + 300];
        int at = 0;
        for (final int length : new int[] {3, 1, 300})
        {
            stream[at++] = (byte)(length >>> 8);
            stream[at++] = (byte)length;
            for (int i = 0; i < length; i++)
            {
                stream[at++] = (byte)(length + i);
            }
        }
        for (final boolean direct : new boolean[] {false, true})
        {
            for (int cut = 0; cut <= stream.length; cut++)
            {
                final List<String> frames = new java.util.ArrayList<>();
                final LoadConnections.FrameSplitter splitter = new LoadConnections.FrameSplitter((buffer, offset, length) ->
                {
                    final StringBuilder text = new StringBuilder(length + ":");
                    for (int i = 0; i < length; i++)
                    {
                        text.append(buffer.getByte(offset + i) & 0xFF).append(',');
                    }
                    frames.add(text.toString());
                });
                for (final byte[] part : new byte[][] {java.util.Arrays.copyOfRange(stream, 0, cut), java.util.Arrays.copyOfRange(stream, cut, stream.length)})
                {
                    final io.netty.buffer.ByteBuf buffer = direct ? io.netty.buffer.Unpooled.directBuffer(part.length + 1) :
                        io.netty.buffer.Unpooled.buffer(part.length + 1);
                    buffer.writeBytes(part);
                    splitter.split(buffer);
                    buffer.release();
                }
                assertEquals(3, frames.size(), "cut=" + cut + " direct=" + direct);
                assertEquals("3:3,4,5,", frames.get(0), "cut=" + cut);
                assertEquals("1:1,", frames.get(1), "cut=" + cut);
                assertTrue(frames.get(2).startsWith("300:44,45,") && frames.get(2).endsWith(",87,"), "cut=" + cut + " " + frames.get(2));
            }
        }
    }

    @Test
    void shouldGiveTheSwitchesMonthlyRationCredit()
    {
        assertEquals(5_000, JposBaselineServer.monthlyRationPiasters(1));
        assertEquals(20_000, JposBaselineServer.monthlyRationPiasters(4));
        assertEquals(25_000, JposBaselineServer.monthlyRationPiasters(6));
    }

    private static LoadResult result(
        final long[] codes, final long sent, final long received, final long missing, final long unmatched, final long unexpected)
    {
        final Histogram histogram = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 200; i++)
        {
            histogram.recordValue(i * 10L);
        }
        return new LoadResult("t", "closed", 1, 1, null, 2.0, sent, received, 200, codes, missing, unmatched, unexpected, 0, histogram);
    }

    private static LoadOptions options(
        final String target, final String data, final boolean self, final boolean compare,
        final int connections, final int inFlight, final int duration, final Double rate)
    {
        return new LoadOptions(target, data, connections, inFlight, duration, 0, rate, self, compare, 50_000, false, false);
    }
}
