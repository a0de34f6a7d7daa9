package org.unicard.iso8583.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jpos.iso.ISOFieldPackager;
import org.jpos.iso.packager.GenericPackager;
import org.junit.jupiter.api.Test;

/**
 * The field tables against jPOS's own packager definitions, field by field, and the fail-fast checks.
 */
class IsoDialectTest
{
    @Test
    void shouldMatchJposIso87BinaryForEveryField() throws Exception
    {
        assertMatchesJpos(IsoDialect.BINARY, new GenericPackager("jar:packager/iso87binary.xml"), "IFB_");
    }

    @Test
    void shouldMatchJposIso87AsciiForEveryField() throws Exception
    {
        assertMatchesJpos(IsoDialect.ASCII, new GenericPackager("jar:packager/iso87ascii.xml"), "IFA_");
    }

    @Test
    void shouldDefineField55AsBinaryInBinaryDialectAndCharsInAscii()
    {
        assertEquals(FieldType.BINARY, IsoDialect.BINARY.field(55).type());
        assertEquals(FieldType.ALPHA, IsoDialect.ASCII.field(55).type());
        assertEquals(LengthPrefix.LLL, IsoDialect.ASCII.field(55).lengthPrefix());
    }

    @Test
    void shouldReturnNullOutsideFieldRange()
    {
        assertNull(IsoDialect.BINARY.field(-1));
        assertNull(IsoDialect.BINARY.field(129));
        assertNotNull(IsoDialect.BINARY.field(128));
    }

    @Test
    void shouldComputeEncodedSizes()
    {
        assertEquals(1, IsoDialect.BINARY.prefixBytes(2));
        assertEquals(2, IsoDialect.BINARY.prefixBytes(54));
        assertEquals(3, IsoDialect.ASCII.prefixBytes(54));
        assertEquals(21, IsoDialect.BINARY.valueBytes(90, 42));
        assertEquals(5, IsoDialect.BINARY.valueBytes(28, 9));
        assertEquals(9, IsoDialect.BINARY.valueBytes(97, 17));
        assertEquals(16, IsoDialect.ASCII.valueBytes(52, 8));
        assertEquals(2 + 999, IsoDialect.BINARY.maxEncodedBytes(55));
    }

    @Test
    void shouldRejectTableWithoutBitmap()
    {
        final FieldSpec[] rows = { IsoDialect.BINARY.field(0), IsoDialect.BINARY.field(2) };

        assertThrows(IllegalStateException.class, () -> IsoDialect.define("broken", true, rows));
    }

    @Test
    void shouldRejectFieldDefinedTwice()
    {
        final FieldSpec[] rows =
        {
            IsoDialect.BINARY.field(0), IsoDialect.BINARY.field(1), IsoDialect.BINARY.field(2), IsoDialect.BINARY.field(2)
        };

        assertThrows(IllegalStateException.class, () -> IsoDialect.define("broken", true, rows));
    }

    @Test
    void shouldRejectLlFieldLongerThan99()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new FieldSpec(2, FieldType.NUMERIC, LengthPrefix.LL, 100, "too long"));
    }

    private static void assertMatchesJpos(final IsoDialect dialect, final GenericPackager packager, final String family)
    {
        for (int n = 0; n <= IsoDialect.MAX_FIELD; n++)
        {
            final ISOFieldPackager fp = packager.getFieldPackager(n);
            final FieldSpec spec = dialect.field(n);
            final String kind = fp.getClass().getSimpleName().replace(family, "").replace("IF_", "");
            final String context = "field=" + n + " jpos=" + fp.getClass().getSimpleName();
            assertEquals(n, spec.number(), context);
            assertEquals(fp.getLength(), spec.maxLength(), context);
            final LengthPrefix prefix = kind.startsWith("LLL") ? LengthPrefix.LLL :
                kind.startsWith("LL") ? LengthPrefix.LL : LengthPrefix.FIXED;
            assertEquals(prefix, spec.lengthPrefix(), context);
            final String base = kind.replaceFirst("^L+", "");
            final FieldType type = switch (base)
            {
                case "NUMERIC", "NUM" -> FieldType.NUMERIC;
                case "CHAR" -> FieldType.ALPHA;
                case "BINARY" -> FieldType.BINARY;
                case "AMOUNT" -> FieldType.AMOUNT;
                case "BITMAP" -> FieldType.BITMAP;
                default -> throw new AssertionError("unexpected packager " + context);
            };
            assertEquals(type, spec.type(), context);
        }
    }
}
