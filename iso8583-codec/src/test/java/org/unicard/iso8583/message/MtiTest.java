package org.unicard.iso8583.message;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MtiTest
{
    @Test
    void shouldTakeRequestsAndAdvicesButNotResponses()
    {
        assertTrue(Mti.isRequestOrAdvice(Mti.FINANCIAL_REQUEST));
        assertTrue(Mti.isRequestOrAdvice(Mti.REVERSAL_ADVICE));
        assertTrue(Mti.isRequestOrAdvice(300), "a request the switch does not support is still a request");
        assertFalse(Mti.isRequestOrAdvice(Mti.FINANCIAL_RESPONSE));
        assertFalse(Mti.isRequestOrAdvice(Mti.REVERSAL_ADVICE_RESPONSE));
    }

    @Test
    void shouldSupportExactlyTheSpecsRequests()
    {
        for (int mti = 0; mti <= 9999; mti++)
        {
            final boolean expected = mti == 100 || mti == 200 || mti == 400 || mti == 420 || mti == 800;
            assertEquals(expected, Mti.isSupportedRequest(mti), "mti=" + mti);
        }
        assertTrue(Mti.isReversal(400));
        assertTrue(Mti.isReversal(420));
        assertFalse(Mti.isReversal(410));
    }

    @Test
    void shouldAnswerWithTheResponseMti()
    {
        assertEquals(110, Mti.responseTo(100));
        assertEquals(210, Mti.responseTo(200));
        assertEquals(410, Mti.responseTo(400));
        assertEquals(430, Mti.responseTo(420));
        assertEquals(810, Mti.responseTo(800));
    }

    @Test
    void shouldAnswerSignOnSignOffAndEchoOnly()
    {
        assertTrue(NetworkCode.isSupported(1));
        assertTrue(NetworkCode.isSupported(2));
        assertTrue(NetworkCode.isSupported(301));
        assertFalse(NetworkCode.isSupported(0));
        assertFalse(NetworkCode.isSupported(3));
        assertFalse(NetworkCode.isSupported(302));
    }

    @Test
    void shouldPutTheMacInTheLastFieldOfTheLastBitmap()
    {
        assertEquals(64, IsoFields.macField(false));
        assertEquals(128, IsoFields.macField(true));
    }
}
