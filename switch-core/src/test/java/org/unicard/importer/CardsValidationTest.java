package org.unicard.importer;

import org.unicard.state.Luhn;
import static org.unicard.importer.ImportAssertions.assertImportFails;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardsValidationTest
{
    /** Line 3 of cards.csv, the member card. */
    private static final String ROW =
        TestDataDirectory.MEMBER_PAN + ",29001010345678,300000000001,member,issued,2026-10-01,3010,0042,health;wallet,0,true,,";

    @TempDir
    Path directory;

    private void assertFieldFails(final String from, final String to, final String message) throws Exception
    {
        if (!ROW.contains(from))
        {
            throw new IllegalArgumentException(from);
        }
        assertImportFails(
            directory, new TestDataDirectory().replace(DataFiles.CARDS, ROW, ROW.replace(from, to)), message);
    }

    @Test
    void shouldRefuseAPanOfFifteenDigits() throws Exception
    {
        assertFieldFails("5078030000000029,", "507803000000002,",
            "cards.csv line=3 column=pan value=\"507803*****0002\" reason=expected 16 to 19 digits");
    }

    @Test
    void shouldRefuseAPanOfTwentyDigits() throws Exception
    {
        assertFieldFails("5078030000000029,", "50780300000000000029,",
            "cards.csv line=3 column=pan value=\"507803**********0029\" reason=expected 16 to 19 digits");
    }

    @Test
    void shouldRefuseAPanWithALetter() throws Exception
    {
        assertFieldFails("5078030000000029,", "5078030X00000029,",
            "cards.csv line=3 column=pan value=\"507803******0029\" reason=expected 16 to 19 digits");
    }

    @Test
    void shouldRefuseAPanFailingTheLuhnCheck() throws Exception
    {
        assertFieldFails("5078030000000029,", "5078030000000028,",
            "cards.csv line=3 column=pan value=\"507803******0028\" reason=fails the Luhn check");
    }

    @Test
    void shouldRefuseAPanStartingWithZero() throws Exception
    {
        assertFieldFails("5078030000000029,", "0507803000000002,",
            "cards.csv line=3 column=pan value=\"050780******0002\" reason=must not start with 0");
    }

    @Test
    void shouldRefuseAPanAboveTheLargestLong() throws Exception
    {
        assertFieldFails("5078030000000029,", "9223372036854775809,",
            "cards.csv line=3 column=pan value=\"922337*********5809\" reason=above 9223372036854775807, the largest PAN supported");
    }

    @Test
    void shouldRefuseADuplicatePan() throws Exception
    {
        assertFieldFails("5078030000000029,", TestDataDirectory.HEAD_PAN + ",",
            "cards.csv line=3 column=pan value=\"507803******0011\" reason=duplicate pan");
    }

    @Test
    void shouldRefuseANationalIdOfThirteenDigits() throws Exception
    {
        assertFieldFails(",29001010345678,", ",2900101034567,",
            "cards.csv line=3 column=national_id value=\"2900101034567\" reason=expected 14 digits");
    }

    @Test
    void shouldRefuseANationalIdWithCenturyDigitOne() throws Exception
    {
        assertFieldFails(",29001010345678,", ",19001010345678,",
            "cards.csv line=3 column=national_id value=\"19001010345678\" reason=first digit (century) must be 2 or 3");
    }

    @Test
    void shouldRefuseANationalIdWithFebruaryTheTwentyNinthOfACommonYear() throws Exception
    {
        assertFieldFails(",29001010345678,", ",29002290345678,",
            "cards.csv line=3 column=national_id value=\"29002290345678\" reason=digits 2-7 are not a birth date YYMMDD");
    }

    @Test
    void shouldRefuseANationalIdWithAnUnknownGovernorate() throws Exception
    {
        assertFieldFails(",29001010345678,", ",29001010545678,",
            "cards.csv line=3 column=national_id value=\"29001010545678\" reason=digits 8-9 are not a governorate code");
    }

    @Test
    void shouldRefuseAnUnknownHousehold() throws Exception
    {
        assertFieldFails(",300000000001,", ",300000000003,",
            "cards.csv line=3 column=household_id value=\"300000000003\" reason=no such household in households.csv");
    }

    @Test
    void shouldRefuseAnUnknownRole() throws Exception
    {
        assertFieldFails(",member,", ",child,",
            "cards.csv line=3 column=role value=\"child\" reason=expected head or member");
    }

    @Test
    void shouldRefuseAnUnknownStatus() throws Exception
    {
        assertFieldFails(",issued,", ",destroyed,",
            "cards.csv line=3 column=status value=\"destroyed\" reason=expected issued, collected, blocked_lost, blocked_stolen or damaged");
    }

    @Test
    void shouldRefuseAnIssueDateInAnotherFormat() throws Exception
    {
        assertFieldFails(",2026-10-01,", ",01/10/2026,",
            "cards.csv line=3 column=issued_on value=\"01/10/2026\" reason=expected YYYY-MM-DD");
    }

    @Test
    void shouldRefuseAnIssueDateThatIsNotACalendarDate() throws Exception
    {
        assertFieldFails(",2026-10-01,", ",2026-02-29,",
            "cards.csv line=3 column=issued_on value=\"2026-02-29\" reason=not a calendar date");
    }

    @Test
    void shouldRefuseAnIssueDateInTheTwentySecondCentury() throws Exception
    {
        assertFieldFails(",2026-10-01,", ",2126-10-01,",
            "cards.csv line=3 column=issued_on value=\"2126-10-01\" reason=year outside 1900..2099");
    }

    @Test
    void shouldRefuseAnExpiryWithMonthThirteen() throws Exception
    {
        assertFieldFails(",3010,", ",2713,",
            "cards.csv line=3 column=expiry value=\"2713\" reason=expected YYMM");
    }

    @Test
    void shouldRefuseAnExpiryWithASlash() throws Exception
    {
        assertFieldFails(",3010,", ",13/27,",
            "cards.csv line=3 column=expiry value=\"13/27\" reason=expected YYMM");
    }

    @Test
    void shouldRefuseAPvvOfThreeDigits() throws Exception
    {
        assertFieldFails(",0042,", ",042,", "cards.csv line=3 column=pvv value=\"042\" reason=expected 4 digits");
    }

    @Test
    void shouldRefuseAnUnknownProgram() throws Exception
    {
        assertFieldFails(",health;wallet,", ",health;pension,",
            "cards.csv line=3 column=programs value=\"health;pension\" reason=expected ;-separated programs of ration, bread, health, wallet, cash");
    }

    @Test
    void shouldRefuseAnEmptyProgramBetweenSeparators() throws Exception
    {
        assertFieldFails(",health;wallet,", ",health;;wallet,",
            "cards.csv line=3 column=programs value=\"health;;wallet\" reason=expected ;-separated programs of ration, bread, health, wallet, cash");
    }

    @Test
    void shouldRefuseAProgramListedTwice() throws Exception
    {
        assertFieldFails(",health;wallet,", ",health;wallet;health,",
            "cards.csv line=3 column=programs value=\"health;wallet;health\" reason=a program is listed twice");
    }

    @Test
    void shouldRefuseNoPrograms() throws Exception
    {
        assertFieldFails(",health;wallet,", ",,", "cards.csv line=3 column=programs value=\"\" reason=value required");
    }

    @Test
    void shouldRefuseAHouseholdProgramOnAMemberCard() throws Exception
    {
        assertFieldFails(",health;wallet,", ",bread;health;wallet,",
            "cards.csv line=3 column=programs value=\"bread;health;wallet\" reason=household programs (ration, bread, cash) are only allowed on a head card");
    }

    @Test
    void shouldRefuseANegativeWallet() throws Exception
    {
        assertFieldFails(",health;wallet,0,", ",health;wallet,-5,",
            "cards.csv line=3 column=wallet_piasters value=\"-5\" reason=expected a whole number of piasters, 0 or more, at most 18 digits");
    }

    @Test
    void shouldRefuseAHealthExemptThatIsNotTrueOrFalse() throws Exception
    {
        assertFieldFails(",true,", ",yes,",
            "cards.csv line=3 column=health_exempt value=\"yes\" reason=expected true or false");
    }

    @Test
    void shouldRefuseAReplacedPanFailingTheLuhnCheck() throws Exception
    {
        assertFieldFails(",true,,", ",true,5078030000000036,",
            "cards.csv line=3 column=replaces_pan value=\"507803******0036\" reason=fails the Luhn check");
    }

    @Test
    void shouldRefuseAReplacedPanOfNoCard() throws Exception
    {
        assertFieldFails(",true,,", ",true,5078031234567890,",
            "cards.csv line=3 column=replaces_pan value=\"507803******7890\" reason=no card with this PAN in cards.csv");
    }

    @Test
    void shouldRefuseACardReplacingItself() throws Exception
    {
        assertFieldFails(",true,,", ",true," + TestDataDirectory.MEMBER_PAN + ",",
            "cards.csv line=3 column=replaces_pan value=\"507803******0029\" reason=a card cannot replace itself");
    }

    @Test
    void shouldRefuseACardReplacingACardOfAnotherHousehold() throws Exception
    {
        assertFieldFails(",true,,", ",true," + TestDataDirectory.OTHER_HEAD_PAN + ",",
            "cards.csv line=3 column=replaces_pan value=\"507803******0037\" reason=the replaced card belongs to another household");
    }

    @Test
    void shouldRefuseAMobileOfTenDigits() throws Exception
    {
        assertFieldFails(",true,,", ",true,,0101234567",
            "cards.csv line=3 column=mobile value=\"0101234567\" reason=expected 11 digits starting 01");
    }

    @Test
    void shouldRefuseAMobileNotStartingZeroOne() throws Exception
    {
        assertFieldFails(",true,,", ",true,,02012345678",
            "cards.csv line=3 column=mobile value=\"02012345678\" reason=expected 11 digits starting 01");
    }

    @Test
    void shouldRefuseAnEmptyNationalId() throws Exception
    {
        assertFieldFails(",29001010345678,", ",,", "cards.csv line=3 column=national_id value=\"\" reason=value required");
    }

    @Test
    void shouldRefuseAnEmptyStatus() throws Exception
    {
        assertFieldFails(",issued,", ",,", "cards.csv line=3 column=status value=\"\" reason=value required");
    }

    @Test
    void shouldRefuseAStatusInCapitals() throws Exception
    {
        assertFieldFails(",issued,", ",ISSUED,",
            "cards.csv line=3 column=status value=\"ISSUED\" reason=expected issued, collected, blocked_lost, blocked_stolen or damaged");
    }

    @Test
    void shouldRefuseAWalletOfNineteenDigits() throws Exception
    {
        assertFieldFails(",health;wallet,0,", ",health;wallet,1000000000000000000,",
            "cards.csv line=3 column=wallet_piasters value=\"1000000000000000000\" reason=expected a whole number of piasters, 0 or more, at most 18 digits");
    }

    @Test
    void shouldAcceptANineteenDigitPanJustBelowTheLimit() throws Exception
    {
        new TestDataDirectory().replace(DataFiles.CARDS, ROW, ROW.replace("5078030000000029,", "9223372036854775791,"))
            .writeTo(directory);

        org.junit.jupiter.api.Assertions.assertEquals(1,
            DataSetImporter.load(directory, TestDataDirectory.LMK).cards().indexOf(9223372036854775791L));
    }
}
