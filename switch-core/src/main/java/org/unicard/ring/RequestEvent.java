package org.unicard.ring;

import com.lmax.disruptor.EventFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.unicard.authorizer.AuthOutcome;
import org.unicard.authorizer.AuthRequest;
import org.unicard.authorizer.ResponseCode;
import org.unicard.iso8583.dialect.IsoDialect;
import org.unicard.iso8583.framing.Framing;
import org.unicard.iso8583.message.IsoMessageReader;
import org.unicard.listener.Connection;
import org.unicard.listener.ListenerSettings;

/**
 * One ring slot. It owns what a request carries from one stage to the next (the frame as received,
 * its reader, the decoded request and the outcome), so nothing is allocated per request. Nothing
 * Netty-owned enters it: the listener copies the frame in.
 * <p>
 * The journal record and the response are not here: each is encoded and copied out within one stage,
 * so that stage owns one buffer for them ({@link JournalEventHandler}, {@link ReplyEventHandler}). A
 * slot is used again only after the ring has gone round ({@code ring.size}, 4,096 by default), by
 * when its lines have left the core's caches; a buffer of the stage's own is written again at once,
 * and stays in them.
 */
public final class RequestEvent
{
    public static final EventFactory<RequestEvent> FACTORY = RequestEvent::new;

    /** A frame from a terminal or acquirer connection. */
    public static final byte KIND_FRAME = 1;
    /** A command from the operator API. */
    public static final byte KIND_OPERATOR = 2;
    /** A change batch from the operator API (spec §12). */
    public static final byte KIND_CHANGES = 3;

    /** Decided by the authorizer, journaled, answered. */
    public static final byte ACTION_AUTHORIZE = 1;
    /** Answered by the reply stage with {@link #directCode}; never reaches the authorizer. */
    public static final byte ACTION_REPLY = 2;
    /** Not answerable (no MTI or field 11): counted and dropped. */
    public static final byte ACTION_DROP = 3;
    /** A change batch applied by the decode stage, to be journaled. */
    public static final byte ACTION_CHANGES = 4;

    /** Most bytes of a response frame, length prefix included. */
    public static final int MAX_RESPONSE_BYTES = 1024;

    public byte kind;
    public final UnsafeBuffer frame = new UnsafeBuffer(new byte[Framing.MAX_FRAME_BYTES]);
    public int frameLength;
    public long arrivalNs;
    public long businessTimeMs;
    public Connection connection;
    /** How the frame's listener is configured (packager, TPDU, link kind). */
    public ListenerSettings listener;

    public byte action;
    public int directCode;
    public final IsoMessageReader binaryReader = new IsoMessageReader(IsoDialect.BINARY);
    public final IsoMessageReader asciiReader = new IsoMessageReader(IsoDialect.ASCII);
    /** The reader that decoded this slot's frame. */
    public IsoMessageReader reader;
    /** Offset of the ISO message in {@link #frame} (after the TPDU when the listener has one). */
    public int messageOffset;
    /**
     * The type of the request's source ({@link org.unicard.state.TerminalType}), or -1 until the
     * decode stage has identified it; set once there, read by the stages after it.
     */
    public byte terminalType = -1;
    /**
     * The dense index of the terminal whose MAC key signs the request and its answer, or -1 (no MAC
     * key, an acquirer link, or not identified); set once by the decode stage.
     */
    public int macTerminal = -1;

    public final AuthRequest request = new AuthRequest();
    public final AuthOutcome outcome = new AuthOutcome();
    public OperatorCommand operator;
    /** The change batch of a {@link #KIND_CHANGES} event. */
    public org.unicard.changes.ChangeSubmission changes;

    /**
     * Answers the request 96 (internal error) without deciding or journaling it any further: a frame
     * gets a 96 response from the reply stage, an operator command an outcome with code 96.
     */
    public void declineInternalError()
    {
        action = ACTION_REPLY;
        directCode = ResponseCode.INTERNAL_ERROR;
        outcome.responseCode = ResponseCode.INTERNAL_ERROR;
    }

    /** Prepares the slot for a new request. */
    public void reset()
    {
        kind = 0;
        frameLength = 0;
        connection = null;
        listener = null;
        action = 0;
        directCode = -1;
        reader = null;
        messageOffset = 0;
        terminalType = -1;
        macTerminal = -1;
        request.clear();
        outcome.clear();
        operator = null;
        changes = null;
    }
}
