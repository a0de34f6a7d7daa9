/**
 * Zero-allocation reading and writing of ISO 8583:1987 messages over Agrona buffers.
 * <p>
 * {@link org.unicard.iso8583.message.IsoMessageReader} is a flyweight: {@code wrap} walks the bitmap
 * once, validates every field and records where each one lies; accessors then read values straight
 * from the buffer. Bad input never throws and never causes a read outside the wrapped range: it
 * leaves a {@link org.unicard.iso8583.message.DecodeError}, the field and the offset, and every
 * field decoded before the fault (the MTI and the STAN in most cases) stays readable so the switch
 * can answer with response code 30.
 * <p>
 * {@link org.unicard.iso8583.message.IsoMessageWriter} takes fields in any order, stages their
 * encodings in preallocated memory and writes MTI, bitmap and fields in ascending order on
 * {@code encode}. Misuse (a value too long, a letter in a numeric field) is a programmer error and
 * throws {@link java.lang.IllegalArgumentException}.
 * <p>
 * <b>BCD pad nibbles.</b> jPOS's iso87binary writes an odd number of digits with one pad nibble of
 * 0: in front for fixed-length numerics (left-padded), behind for variable-length numerics
 * (right-padded). The reader accepts a leading pad nibble of 0 only, and a trailing pad nibble of 0
 * or F (F is what F-padding packagers send for track 2); anything else is
 * {@link org.unicard.iso8583.message.DecodeError#BAD_BCD}. The writer always pads with 0, as jPOS
 * does. Nibble D in a variable-length numeric value is the track-2 separator and reads as
 * {@code '='}; in a fixed-length numeric, the MTI or a prefix, any nibble above 9 is an error.
 * <p>
 * The protocol's constants are named here once, as Netty's {@code codec-redis} keeps its own:
 * {@link org.unicard.iso8583.message.IsoFields} (field numbers and the layout of field 90),
 * {@link org.unicard.iso8583.message.Mti} (message types and what their digits mean) and
 * {@link org.unicard.iso8583.message.NetworkCode} (field 70).
 */
package org.unicard.iso8583.message;
