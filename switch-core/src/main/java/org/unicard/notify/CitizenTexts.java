package org.unicard.notify;

import org.unicard.state.Program;

/**
 * The sentences of citizen events, in Arabic (with Arabic-Indic digits and the Arabic decimal
 * separator) and in English. Money is in Egyptian pounds with two decimals (the journal's piasters),
 * bread in loaves. A card is named by its last 4 digits only, a terminal by its name in the data set.
 */
public final class CitizenTexts
{
    private static final char ARABIC_ZERO = '\u0660';
    private static final char ARABIC_DECIMAL_SEPARATOR = '\u066B';

    private CitizenTexts()
    {
    }

    /** Which language a sentence is built in. */
    public enum Language
    {
        ARABIC,
        ENGLISH
    }

    /**
     * @return the text with every ASCII digit as an Arabic-Indic digit and every '.' between digits as '٫'.
     */
    public static String arabicDigits(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c >= '0' && c <= '9')
            {
                out.append((char)(ARABIC_ZERO + (c - '0')));
            }
            else if (c == '.' && i > 0 && i + 1 < text.length() && Character.isDigit(text.charAt(i - 1)) &&
                Character.isDigit(text.charAt(i + 1)))
            {
                out.append(ARABIC_DECIMAL_SEPARATOR);
            }
            else
            {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * @return piasters as pounds: {@code 12.50 EGP} or {@code ١٢٫٥٠ جنيه}.
     */
    public static String money(final long piasters, final Language language)
    {
        final long absolute = Math.abs(piasters);
        final long cents = absolute % 100;
        final String number = (piasters < 0 ? "-" : "") + absolute / 100 + (cents < 10 ? ".0" : ".") + cents;
        return language == Language.ARABIC ? arabicDigits(number) + " جنيه" : number + " EGP";
    }

    /**
     * @return an amount in the account's unit: money, or loaves for bread.
     */
    public static String quantity(final int account, final long amount, final Language language)
    {
        if (account == Program.ACCOUNT_BREAD)
        {
            return language == Language.ARABIC ? loavesArabic(amount) : amount + (amount == 1 ? " loaf" : " loaves");
        }
        return money(amount, language);
    }

    /**
     * @return a number of loaves in Arabic, with the noun's number agreement: رغيف واحد, رغيفان,
     * ٣–١٠ أرغفة, else رغيفاً.
     */
    public static String loavesArabic(final long loaves)
    {
        if (loaves == 1)
        {
            return "رغيف واحد";
        }
        if (loaves == 2)
        {
            return "رغيفان";
        }
        final String number = arabicDigits(Long.toString(loaves));
        return loaves >= 3 && loaves <= 10 ? number + " أرغفة" : number + " رغيفاً";
    }

    /**
     * @return what the account is called in a sentence ("your ration credit", "رصيد التموين").
     */
    public static String accountName(final int account, final Language language)
    {
        final boolean ar = language == Language.ARABIC;
        return switch (account)
        {
            case Program.ACCOUNT_RATION -> ar ? "رصيد التموين" : "your ration credit";
            case Program.ACCOUNT_BREAD -> ar ? "حصة الخبز" : "your bread quota";
            case Program.ACCOUNT_HEALTH, Program.ACCOUNT_WALLET -> ar ? "محفظتك" : "your wallet";
            case Program.ACCOUNT_CASH -> ar ? "الدعم النقدي" : "your cash support";
            default -> ar ? "حسابك" : "your account";
        };
    }

    /**
     * @return the program's name in events ({@code ration}, {@code bread}, {@code health}, {@code wallet},
     * {@code cash}), or {@code null} for no account.
     */
    public static String programName(final int account)
    {
        return switch (account)
        {
            case Program.ACCOUNT_RATION -> "ration";
            case Program.ACCOUNT_BREAD -> "bread";
            case Program.ACCOUNT_HEALTH -> "health";
            case Program.ACCOUNT_WALLET -> "wallet";
            case Program.ACCOUNT_CASH -> "cash";
            default -> null;
        };
    }

    /** A purchase (type 00) of any program. */
    public static String purchase(final int account, final long amount, final long balance, final boolean exempt,
        final String terminal, final Language language)
    {
        final boolean ar = language == Language.ARABIC;
        final String what = quantity(account, amount, language);
        return switch (account)
        {
            case Program.ACCOUNT_BREAD -> ar ?
                "تم صرف " + what + " من " + terminal + ". المتبقي اليوم " + quantity(account, balance, language) + "." :
                amount + (amount == 1 ? " loaf" : " loaves") + " at " + terminal + "; " + balance + " left today.";
            case Program.ACCOUNT_RATION -> ar ?
                "تم صرف تموين بقيمة " + what + " من " + terminal + ". المتبقي من رصيد التموين هذا الشهر " + money(balance, language) + "." :
                "Ration of " + what + " at " + terminal + ". Ration credit left this month: " + money(balance, language) + ".";
            case Program.ACCOUNT_HEALTH -> exempt ?
                (ar ? "خدمة صحية لدى " + terminal + ": أنت معفى من المساهمة (" + what + ")، لم يُخصم شيء." :
                    "Health service at " + terminal + ": you are exempt from the co-payment (" + what + "), nothing was paid.") :
                (ar ? "تم دفع مساهمة علاج " + what + " لدى " + terminal + " من محفظتك. رصيد المحفظة " + money(balance, language) + "." :
                    "Health co-payment of " + what + " at " + terminal + ", paid from your wallet. Wallet balance: " +
                        money(balance, language) + ".");
            default -> ar ?
                "تم دفع " + what + " من " + accountName(account, language) + " لدى " + terminal + ". الرصيد " + money(balance, language) + "." :
                "Payment of " + what + " from " + accountName(account, language) + " at " + terminal + ". Balance: " +
                    money(balance, language) + ".";
        };
    }

    /** A cash withdrawal (type 01). */
    public static String withdrawal(final int account, final long amount, final long balance, final String terminal,
        final Language language)
    {
        return language == Language.ARABIC ?
            "تم سحب " + money(amount, language) + " نقداً من " + accountName(account, language) + " لدى " + terminal +
                ". الرصيد " + money(balance, language) + "." :
            "Cash withdrawal of " + money(amount, language) + " from " + accountName(account, language) + " at " + terminal +
                ". Balance: " + money(balance, language) + ".";
    }

    /** A return (type 20): a credit back to the account. */
    public static String giveBack(final int account, final long amount, final long balance, final String terminal,
        final Language language)
    {
        return language == Language.ARABIC ?
            "تم رد " + money(amount, language) + " إلى " + accountName(account, language) + " لدى " + terminal + ". الرصيد " +
                money(balance, language) + "." :
            "Return of " + money(amount, language) + " to " + accountName(account, language) + " at " + terminal + ". Balance: " +
                money(balance, language) + ".";
    }

    /**
     * A reversal: the terminal cancelled an operation.
     *
     * @param change  the signed change the reversal made (positive: given back to the citizen).
     * @param balance the balance of the account afterwards (bread: loaves left today; a health co-payment:
     *                the wallet's), or {@link CitizenEvent#ABSENT} (a record from before the journal kept it).
     */
    public static String reversal(final int account, final long change, final long balance, final String terminal,
        final Language language)
    {
        final boolean ar = language == Language.ARABIC;
        final String what = quantity(account, Math.abs(change), language);
        final String sentence;
        if (change > 0)
        {
            sentence = ar ? "تم إلغاء عملية لدى " + terminal + " ورد " + what + " إلى " + accountName(account, language) + "." :
                "Cancelled at " + terminal + ": " + what + " given back to " + accountName(account, language) + ".";
        }
        else
        {
            sentence = ar ? "تم إلغاء عملية رد لدى " + terminal + " وخصم " + what + " من " + accountName(account, language) + "." :
                "Cancelled return at " + terminal + ": " + what + " taken back from " + accountName(account, language) + ".";
        }
        if (balance == CitizenEvent.ABSENT)
        {
            return sentence;
        }
        final String left = quantity(account, balance, language);
        if (account == Program.ACCOUNT_BREAD)
        {
            return sentence + (ar ? " المتبقي اليوم " + left + "." : " Left today: " + left + ".");
        }
        return sentence + (ar ? " الرصيد الآن " + left + "." : " Balance now: " + left + ".");
    }

    /**
     * A decline a citizen can act on.
     *
     * @param balance the account's balance for code 51, or {@link CitizenEvent#ABSENT}.
     */
    public static String decline(final int code, final int account, final long amount, final long balance, final String terminal,
        final String last4, final Language language)
    {
        final boolean ar = language == Language.ARABIC;
        final String card = ar ? arabicDigits(last4) : last4;
        return switch (code)
        {
            case 51 -> ar ?
                "رُفضت عملية " + quantity(account, amount, language) + " لدى " + terminal + ": الرصيد غير كافٍ" +
                    (balance == CitizenEvent.ABSENT ? "." : "، المتبقي " + quantity(account, balance, language) + ".") :
                "Declined at " + terminal + ": not enough left for " + quantity(account, amount, language) +
                    (balance == CitizenEvent.ABSENT ? "." : " (" + quantity(account, balance, language) + " left).");
            case 41 -> ar ?
                "رُفضت عملية بالبطاقة المنتهية بـ " + card + " لدى " + terminal + ": البطاقة موقوفة كمفقودة. إن لم تبلغ عن فقدها فاتصل بالخط الساخن." :
                "Card ending " + card + " declined at " + terminal + ": it is blocked as lost. If you did not report it, call the hotline.";
            case 43 -> ar ?
                "رُفضت عملية بالبطاقة المنتهية بـ " + card + " لدى " + terminal + ": البطاقة موقوفة كمسروقة. إن لم تبلغ عن سرقتها فاتصل بالخط الساخن." :
                "Card ending " + card + " declined at " + terminal + ": it is blocked as stolen. If you did not report it, call the hotline.";
            case 62 -> ar ?
                "رُفضت عملية بالبطاقة المنتهية بـ " + card + " لدى " + terminal + ": لا يمكن استخدام هذه البطاقة (لم تُستلم أو استُبدلت أو تالفة)." :
                "Card ending " + card + " declined at " + terminal + ": this card cannot be used (not collected, replaced or damaged).";
            case 75 -> ar ?
                "رُفضت عملية بالبطاقة المنتهية بـ " + card + " لدى " + terminal + ": الرقم السري موقوف بعد محاولات خاطئة متكررة. توجه إلى مكتب الخدمة لإعادة تعيينه." :
                "Card ending " + card + " declined at " + terminal + ": the PIN is blocked after too many wrong tries. Visit a service office to reset it.";
            default -> ar ?
                "رُفضت عملية بالبطاقة المنتهية بـ " + card + " لدى " + terminal + " (رمز " + arabicDigits(String.format("%02d", code)) + ")." :
                "Card ending " + card + " declined at " + terminal + " (code " + String.format("%02d", code) + ").";
        };
    }

    /** An operator blocked a card. */
    public static String block(final String last4, final String reasonEn, final String reasonAr, final Language language)
    {
        return language == Language.ARABIC ?
            "تم إيقاف بطاقتك المنتهية بـ " + arabicDigits(last4) + " (" + reasonAr + "). لم يعد من الممكن استخدامها." :
            "Your card ending " + last4 + " has been blocked (" + reasonEn + "). It can no longer be used.";
    }

    /** A replacement card's first approved use superseded the old card. */
    public static String cardReplaced(final String newLast4, final String oldLast4, final Language language)
    {
        return language == Language.ARABIC ?
            "بطاقتك الجديدة المنتهية بـ " + arabicDigits(newLast4) + " قيد الاستخدام الآن، والبطاقة القديمة المنتهية بـ " +
                arabicDigits(oldLast4) + " لم تعد تعمل." :
            "Your new card ending " + newLast4 + " is now in use; the old card ending " + oldLast4 + " no longer works.";
    }

    /** The household's bread of one Cairo day. */
    public static String breadDigest(final String date, final int loaves, final int quotaLoaves, final Language language)
    {
        return language == Language.ARABIC ?
            "خبز يوم " + arabicDigits(date) + ": صرفت أسرتك " + loavesArabic(loaves) + " من حصة يومية " +
                loavesArabic(quotaLoaves) + "." :
            "Bread on " + date + ": your household took " + loaves + (loaves == 1 ? " loaf" : " loaves") + " of its " + quotaLoaves +
                " daily loaves.";
    }

    /** The household's month. */
    public static String monthlyStatement(final String month, final long rationUsedPiasters, final int breadLoaves,
        final long pointsPiasters, final long cashCreditedPiasters, final Language language)
    {
        return language == Language.ARABIC ?
            "كشف شهر " + arabicDigits(month) + ": تموين مصروف " + money(rationUsedPiasters, language) + "، خبز " +
                loavesArabic(breadLoaves) + "، نقاط خبز " + money(pointsPiasters, language) +
                " تضاف إلى تموين الشهر التالي، دعم نقدي مضاف " + money(cashCreditedPiasters, language) + "." :
            "Statement for " + month + ": ration used " + money(rationUsedPiasters, language) + ", bread taken " + breadLoaves +
                (breadLoaves == 1 ? " loaf" : " loaves") + ", bread points earned " + money(pointsPiasters, language) +
                " (added to next month's ration), cash support credited " + money(cashCreditedPiasters, language) + ".";
    }
}
