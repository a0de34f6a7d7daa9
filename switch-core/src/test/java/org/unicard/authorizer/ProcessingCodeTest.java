package org.unicard.authorizer;

import org.junit.jupiter.api.Test;
import org.unicard.state.Program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessingCodeTest
{
    @Test
    void shouldSplitTypeAndAccount()
    {
        assertEquals(ProcessingCode.TYPE_RETURN, ProcessingCode.type(209100));
        assertEquals(Program.ACCOUNT_RATION, ProcessingCode.account(209100));
        assertEquals(ProcessingCode.TYPE_PURCHASE, ProcessingCode.type(9200));
        assertEquals(Program.ACCOUNT_BREAD, ProcessingCode.account(9200));
        assertEquals(ProcessingCode.TYPE_BALANCE_INQUIRY, ProcessingCode.type(310000));
        assertEquals(Program.ACCOUNT_ALL, ProcessingCode.account(310000));
    }

    @Test
    void shouldBuildWhatItSplits()
    {
        assertEquals(209100, ProcessingCode.of(ProcessingCode.TYPE_RETURN, Program.ACCOUNT_RATION));
        assertEquals(19500, ProcessingCode.of(ProcessingCode.TYPE_CASH_WITHDRAWAL, Program.ACCOUNT_CASH));
        assertEquals(310000, ProcessingCode.of(ProcessingCode.TYPE_BALANCE_INQUIRY, Program.ACCOUNT_ALL));
    }

    @Test
    void shouldRefuseNegativeCodesAndNonZeroLastDigits()
    {
        assertTrue(ProcessingCode.isWellFormed(0));
        assertTrue(ProcessingCode.isWellFormed(9400));
        assertFalse(ProcessingCode.isWellFormed(9401));
        assertFalse(ProcessingCode.isWellFormed(9410));
        assertFalse(ProcessingCode.isWellFormed(-9400));
    }

    @Test
    void shouldNeedAnAmountForDebitsAndCreditsOnly()
    {
        assertTrue(ProcessingCode.needsAmount(ProcessingCode.TYPE_PURCHASE));
        assertTrue(ProcessingCode.needsAmount(ProcessingCode.TYPE_CASH_WITHDRAWAL));
        assertTrue(ProcessingCode.needsAmount(ProcessingCode.TYPE_RETURN));
        assertFalse(ProcessingCode.needsAmount(ProcessingCode.TYPE_BALANCE_INQUIRY));
        assertFalse(ProcessingCode.needsAmount(30));
    }
}
