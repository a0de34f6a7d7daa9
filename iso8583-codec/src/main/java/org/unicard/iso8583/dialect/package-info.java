/**
 * Field specifications of the ISO 8583:1987 dialects the switch speaks, as data.
 * <p>
 * A {@link org.unicard.iso8583.dialect.FieldSpec} is the composition of a value type
 * ({@link org.unicard.iso8583.dialect.FieldType}), a length prefix
 * ({@link org.unicard.iso8583.dialect.LengthPrefix}) and a maximum length. An
 * {@link org.unicard.iso8583.dialect.IsoDialect} is a table of one spec per field plus the choice
 * of wire encoding: {@link org.unicard.iso8583.dialect.IsoDialect#BINARY} (BCD numerics and
 * prefixes, raw binary) or {@link org.unicard.iso8583.dialect.IsoDialect#ASCII} (ASCII digits,
 * prefixes and hex). The tables reproduce jPOS 3.0.1's {@code packager/iso87binary.xml} and
 * {@code packager/iso87ascii.xml} field for field, and their invariants are checked when the class
 * is initialised, so a wrong row fails the first use rather than a message.
 */
package org.unicard.iso8583.dialect;
