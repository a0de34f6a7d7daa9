package org.unicard.iso8583.message;

import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.packager.GenericPackager;
import org.unicard.iso8583.dialect.IsoDialect;

/**
 * jPOS as the oracle: the packagers the dialects reproduce, loaded from jPOS's own jar.
 */
final class JposSupport
{
    static final GenericPackager BINARY_PACKAGER = load("jar:packager/iso87binary.xml");
    static final GenericPackager ASCII_PACKAGER = load("jar:packager/iso87ascii.xml");

    private JposSupport()
    {
    }

    static GenericPackager packager(final IsoDialect dialect)
    {
        return dialect == IsoDialect.BINARY ? BINARY_PACKAGER : ASCII_PACKAGER;
    }

    static byte[] pack(final IsoDialect dialect, final ISOMsg msg)
    {
        try
        {
            msg.setPackager(packager(dialect));
            return msg.pack();
        }
        catch (final ISOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static ISOMsg unpack(final IsoDialect dialect, final byte[] bytes)
    {
        try
        {
            final ISOMsg msg = new ISOMsg();
            msg.setPackager(packager(dialect));
            msg.unpack(bytes);
            return msg;
        }
        catch (final ISOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static GenericPackager load(final String url)
    {
        try
        {
            return new GenericPackager(url);
        }
        catch (final ISOException ex)
        {
            throw new IllegalStateException("cannot load " + url, ex);
        }
    }
}
