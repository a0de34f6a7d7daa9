package org.unicard.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What the logged commands hold between two entries of the log (a change batch whose chunks have not all
 * come, {@link ClusterChangeBatches}), as the cluster snapshot carries it right after its header
 * ({@link ClusterStateSnapshot#KIND_COMMANDS}): a member started from the snapshot then completes such a
 * batch from the log after it, as the members that saw its first chunks do.
 * <pre>
 *   i32 count
 *   count × { i8 type, i32 length, length bytes: what {@link LogMessages.LoggedCommand#snapshot} wrote }
 * </pre>
 * In type order; a snapshot of the version before this section has none of it (empty: nothing to load).
 */
final class LoggedCommandsSnapshot
{
    private LoggedCommandsSnapshot()
    {
    }

    /**
     * @param commands the handlers by type ({@code null}: none).
     * @return the section's bytes.
     */
    static byte[] write(final LogMessages.LoggedCommand[] commands)
    {
        try
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final DataOutputStream out = new DataOutputStream(bytes);
            int count = 0;
            for (final LogMessages.LoggedCommand command : commands)
            {
                count += command == null ? 0 : 1;
            }
            out.writeInt(count);
            for (int type = 0; type < commands.length; type++)
            {
                if (commands[type] != null)
                {
                    final ByteArrayOutputStream one = new ByteArrayOutputStream();
                    final DataOutputStream oneOut = new DataOutputStream(one);
                    commands[type].snapshot(oneOut);
                    oneOut.flush();
                    out.writeByte(type);
                    out.writeInt(one.size());
                    one.writeTo(out);
                }
            }
            out.flush();
            return bytes.toByteArray();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cluster snapshot: logged commands: " + ex.getMessage(), ex);
        }
    }

    /**
     * Gives each command what it wrote.
     *
     * @param bytes    the section, or none (a snapshot of an earlier version).
     * @param commands the handlers by type.
     * @throws IllegalStateException when the section names a type without a handler here, or is damaged: the
     *                               member must stop.
     */
    static void load(final byte[] bytes, final LogMessages.LoggedCommand[] commands)
    {
        if (bytes.length == 0)
        {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes)))
        {
            final int count = in.readInt();
            if (count < 0 || count > commands.length)
            {
                throw new IOException("count=" + count + " range=[0," + commands.length + "]");
            }
            for (int i = 0; i < count; i++)
            {
                final int type = in.readByte();
                final int length = in.readInt();
                if (length < 0 || length > in.available())
                {
                    throw new IOException("type=" + type + " length=" + length + " available=" + in.available());
                }
                final byte[] one = new byte[length];
                in.readFully(one);
                final LogMessages.LoggedCommand command = type > 0 && type < commands.length ? commands[type] : null;
                if (command == null)
                {
                    throw new IOException("type=" + type + " has no handler in this version");
                }
                command.load(new DataInputStream(new ByteArrayInputStream(one)));
            }
            if (in.available() != 0)
            {
                throw new IOException(in.available() + " bytes after the last command");
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cluster snapshot does not load: logged commands: " + ex.getMessage()
                + " action=this member stops; start it with the same version as the others", ex);
        }
    }
}
