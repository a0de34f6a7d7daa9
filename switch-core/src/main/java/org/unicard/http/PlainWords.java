package org.unicard.http;

import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ProcessingCode;
import org.unicard.authorizer.ResponseCode;
import org.unicard.state.Program;

/**
 * A journaled request or operator command in the words a hotline agent reads to a citizen, in
 * English and Arabic: what was asked ("bread purchase, 5 loaves") and how it was answered
 * ("declined: bread quota used up today"), from the MTI, the processing code, the response code
 * and the amounts. The operator path, not the hot path: allocates freely.
 */
public final class PlainWords
{
    /** English and Arabic text of the same thing. */
    public record Text(String english, String arabic)
    {
    }

    private PlainWords()
    {
    }

    /**
     * @return what the record asked for, e.g. "bread purchase, 5 loaves".
     */
    public static Text action(final AuthRequest request)
    {
        if (request.sourceType == AuthRequest.SOURCE_OPERATOR)
        {
            return switch (request.command)
            {
                case AuthRequest.COMMAND_QUERY -> new Text("operator: status look-up", "المشغل: استعلام عن الحالة");
                case AuthRequest.COMMAND_BLOCK_LOST -> new Text("operator: card blocked as lost", "المشغل: إيقاف البطاقة لفقدانها");
                case AuthRequest.COMMAND_BLOCK_STOLEN -> new Text("operator: card blocked as stolen", "المشغل: إيقاف البطاقة لسرقتها");
                case AuthRequest.COMMAND_BLOCK_DAMAGED -> new Text("operator: card marked damaged", "المشغل: البطاقة تالفة");
                case AuthRequest.COMMAND_COLLECT -> new Text("operator: card handed to its holder", "المشغل: تسليم البطاقة لصاحبها");
                case AuthRequest.COMMAND_PIN_RESET -> new Text("operator: PIN tries reset", "المشغل: إعادة ضبط محاولات الرقم السري");
                default -> new Text("operator command " + request.command, "أمر المشغل " + request.command);
            };
        }
        final int type = ProcessingCode.type(request.processingCode);
        final int account = ProcessingCode.account(request.processingCode);
        final Text program = program(account);
        final Text what = switch (type)
        {
            case ProcessingCode.TYPE_PURCHASE -> new Text(program.english + " purchase", "شراء " + program.arabic);
            case ProcessingCode.TYPE_CASH_WITHDRAWAL -> new Text("cash withdrawal from " + program.english, "سحب نقدي من " + program.arabic);
            case ProcessingCode.TYPE_RETURN -> new Text(program.english + " return", "مرتجع " + program.arabic);
            case ProcessingCode.TYPE_BALANCE_INQUIRY -> new Text("balance inquiry" + (account == 0 ? "" : ", " + program.english),
                "استعلام عن الرصيد" + (account == 0 ? "" : "، " + program.arabic));
            default -> new Text("transaction " + String.format("%06d", request.processingCode),
                "معاملة " + String.format("%06d", request.processingCode));
        };
        final boolean reversal = request.mti == 400 || request.mti == 420;
        final Text amount = type == ProcessingCode.TYPE_BALANCE_INQUIRY ? null : amount(request.amount, request.currency);
        final String english = (reversal ? "reversal of " : "") + what.english + (amount == null ? "" : ", " + amount.english);
        final String arabic = (reversal ? "إلغاء " : "") + what.arabic + (amount == null ? "" : "، " + amount.arabic);
        return new Text(english, arabic);
    }

    /**
     * @return how the record was answered, e.g. "declined: bread quota used up today".
     */
    public static Text answer(final AuthRequest request, final AuthOutcome outcome)
    {
        final int code = outcome.responseCode;
        if (code == ResponseCode.APPROVED && request.sourceType == AuthRequest.SOURCE_OPERATOR)
        {
            return new Text("done", "تم");
        }
        if (code == ResponseCode.APPROVED)
        {
            if (outcome.duplicateOf != AuthOutcome.NONE)
            {
                return new Text("approved (a repeat of an earlier request, nothing moved again)",
                    "مقبولة (تكرار لطلب سابق، لم يُخصم شيء مرة أخرى)");
            }
            return new Text("approved", "مقبولة");
        }
        final Text reason = reason(code, ProcessingCode.account(request.processingCode));
        return new Text("declined: " + reason.english, "مرفوضة: " + reason.arabic);
    }

    /**
     * @return why a code other than 00 was given, in words.
     */
    public static Text reason(final int code, final int account)
    {
        return switch (code)
        {
            case ResponseCode.INVALID_TERMINAL -> new Text("unknown or inactive terminal", "جهاز غير معروف أو غير مفعل");
            case ResponseCode.DO_NOT_HONOUR -> new Text("arrived after its own reversal", "وصلت بعد إلغائها");
            case ResponseCode.INVALID_PROCESSING_CODE -> new Text("transaction type not supported", "نوع المعاملة غير مدعوم");
            case ResponseCode.INVALID_AMOUNT -> new Text("invalid amount", "مبلغ غير صحيح");
            case ResponseCode.INVALID_CARD_NUMBER -> new Text("unknown card number", "رقم بطاقة غير معروف");
            case ResponseCode.ORIGINAL_NOT_FOUND -> new Text("the transaction to reverse was not found", "لم يتم العثور على المعاملة المطلوب إلغاؤها");
            case ResponseCode.FORMAT_ERROR -> new Text("malformed message from the terminal", "رسالة غير سليمة من الجهاز");
            case ResponseCode.LOST_CARD -> new Text("card blocked as lost", "البطاقة موقوفة لفقدانها");
            case ResponseCode.STOLEN_CARD -> new Text("card blocked as stolen", "البطاقة موقوفة لسرقتها");
            case ResponseCode.INSUFFICIENT_FUNDS -> switch (account)
            {
                case Program.ACCOUNT_BREAD -> new Text("bread quota used up today", "نفدت حصة الخبز اليوم");
                case Program.ACCOUNT_RATION -> new Text("ration credit used up this month", "نفد رصيد التموين هذا الشهر");
                case Program.ACCOUNT_WALLET -> new Text("not enough money in the wallet", "رصيد المحفظة غير كاف");
                case Program.ACCOUNT_CASH -> new Text("not enough cash support left", "رصيد الدعم النقدي غير كاف");
                default -> new Text("not enough balance", "الرصيد غير كاف");
            };
            case ResponseCode.EXPIRED_CARD -> new Text("card expired", "البطاقة منتهية الصلاحية");
            case ResponseCode.WRONG_PIN -> new Text("wrong or missing PIN", "الرقم السري خاطئ أو غير مُدخل");
            case ResponseCode.PROGRAM_NOT_HELD -> new Text("the card does not hold this program", "البطاقة غير مشتركة في هذا البرنامج");
            case ResponseCode.NOT_PERMITTED_ON_TERMINAL -> new Text("this terminal may not do that", "هذا الجهاز لا يسمح بهذه المعاملة");
            case ResponseCode.RESTRICTED_CARD -> new Text("card not usable (not collected, damaged, destroyed or replaced)",
                "البطاقة غير صالحة للاستخدام (لم تُسلَّم أو تالفة أو ملغاة أو مستبدلة)");
            case ResponseCode.MAC_FAILURE -> new Text("message security check failed", "فشل التحقق من أمان الرسالة");
            case ResponseCode.PIN_TRIES_EXCEEDED -> new Text("PIN locked after 3 wrong tries (an operator can reset it)",
                "الرقم السري موقوف بعد ٣ محاولات خاطئة (يمكن للمشغل إعادة ضبطه)");
            case ResponseCode.SYSTEM_UNAVAILABLE -> new Text("system busy, try again", "النظام مشغول، حاول مرة أخرى");
            case ResponseCode.DUPLICATE_KEY_OTHER_CONTENT -> new Text("conflicts with an earlier request of the same number",
                "يتعارض مع طلب سابق بنفس الرقم");
            case ResponseCode.INTERNAL_ERROR -> new Text("internal error", "خطأ داخلي");
            default -> new Text("code " + code, "رمز " + code);
        };
    }

    /**
     * @return the program an account names.
     */
    public static Text program(final int account)
    {
        return switch (account)
        {
            case Program.ACCOUNT_RATION -> new Text("ration", "التموين");
            case Program.ACCOUNT_BREAD -> new Text("bread", "الخبز");
            case Program.ACCOUNT_HEALTH -> new Text("health", "الصحة");
            case Program.ACCOUNT_WALLET -> new Text("wallet", "المحفظة");
            case Program.ACCOUNT_CASH -> new Text("cash support", "الدعم النقدي");
            default -> new Text("all accounts", "كل الحسابات");
        };
    }

    /**
     * @return an amount in its unit: loaves for currency 999, else Egyptian pounds.
     */
    public static Text amount(final long amount, final int currency)
    {
        if (currency == 999)
        {
            return new Text(amount + (amount == 1 ? " loaf" : " loaves"), amount + " رغيف");
        }
        final String pounds = (amount / 100) + "." + String.format("%02d", Math.abs(amount % 100));
        return new Text(pounds + " EGP", pounds + " جنيه");
    }
}
