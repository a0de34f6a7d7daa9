package org.unicard.notify;

import org.junit.jupiter.api.Test;
import org.unicard.state.Program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicard.notify.CitizenTexts.Language.ARABIC;
import static org.unicard.notify.CitizenTexts.Language.ENGLISH;

class CitizenTextsTest
{
    @Test
    void shouldWriteArabicIndicDigitsAndTheArabicDecimalSeparator()
    {
        assertEquals("١٢٫٥٠ جنيه", CitizenTexts.money(1_250, ARABIC));
        assertEquals("12.50 EGP", CitizenTexts.money(1_250, ENGLISH));
        assertEquals("0.05 EGP", CitizenTexts.money(5, ENGLISH));
        assertEquals("-3.00 EGP", CitizenTexts.money(-300, ENGLISH));
        assertEquals("٢٠٢٦-١١-٣٠", CitizenTexts.arabicDigits("2026-11-30"));
        assertEquals("v١٫٢ ٣.", CitizenTexts.arabicDigits("v1.2 3."), "a full stop after a number stays a full stop");
    }

    @Test
    void shouldSayHowManyLoavesAreLeftTodayInBothLanguages()
    {
        assertEquals("5 loaves at مخبز الأمل; 15 left today.",
            CitizenTexts.purchase(Program.ACCOUNT_BREAD, 5, 15, false, "مخبز الأمل", ENGLISH));
        assertEquals("تم صرف ٥ أرغفة من مخبز الأمل. المتبقي اليوم ١٥ رغيفاً.",
            CitizenTexts.purchase(Program.ACCOUNT_BREAD, 5, 15, false, "مخبز الأمل", ARABIC));
        assertEquals("1 loaf at B1; 0 left today.", CitizenTexts.purchase(Program.ACCOUNT_BREAD, 1, 0, false, "B1", ENGLISH));
        assertEquals("تم صرف رغيفان من B1. المتبقي اليوم رغيف واحد.",
            CitizenTexts.purchase(Program.ACCOUNT_BREAD, 2, 1, false, "B1", ARABIC));
    }

    @Test
    void shouldNameOnlyTheLastFourDigitsOfACardInADecline()
    {
        assertEquals("Card ending 0042 declined at Grocer two: the PIN is blocked after too many wrong tries. " +
            "Visit a service office to reset it.", CitizenTexts.decline(75, Program.ACCOUNT_WALLET, 100, CitizenEvent.ABSENT,
            "Grocer two", "0042", ENGLISH));
        assertEquals("Declined at Grocer two: not enough left for 200.00 EGP (100.00 EGP left).",
            CitizenTexts.decline(51, Program.ACCOUNT_RATION, 20_000, 10_000, "Grocer two", "0042", ENGLISH));
        assertEquals("0042", CitizenEvent.last4Text(42));
        assertEquals("01012345678", CitizenEvent.mobileText(1_012_345_678L));
    }

    @Test
    void shouldWriteBusinessTimeWithCairosOffsetAcrossDaylightSaving()
    {
        assertEquals("2026-11-23T09:00:01.005+02:00", CitizenEvent.time(java.time.OffsetDateTime.parse("2026-11-23T09:00:01.005+02:00")
            .toInstant().toEpochMilli()));
        assertEquals("2026-07-01T12:00:00.250+03:00", CitizenEvent.time(java.time.OffsetDateTime.parse("2026-07-01T12:00:00.250+03:00")
            .toInstant().toEpochMilli()));
    }
}
