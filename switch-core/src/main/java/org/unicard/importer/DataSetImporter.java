package org.unicard.importer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.unicard.security.TdesKey;
import org.unicard.state.AcquirerTable;
import org.unicard.state.CardTable;
import org.unicard.state.DataSet;
import org.unicard.state.HouseholdTable;
import org.unicard.state.TerminalTable;

/**
 * Loads a data directory (spec §10) into a {@link DataSet}: {@code keys.csv}, {@code households.csv},
 * {@code cards.csv}, {@code terminals.csv} and, when present, {@code acquirers.csv}. Other files in
 * the directory are ignored.
 * <p>
 * Every row is checked; the first bad one stops the import with an {@link ImportException} naming
 * the file, line, column, value (PANs masked, keys never shown) and reason. The data set is
 * returned whole or not at all. The CSV conventions are those of {@link CsvFile}: UTF-8, a header
 * row naming each column exactly once in any order, RFC 4180 quoting, LF or CRLF line ends.
 * <p>
 * Limits: a PAN is held as a {@code long}, so it may not start with 0 and may not exceed
 * 9223372036854775807 (19-digit PANs above it are refused); the card and household tables hold
 * at most 2^27 rows each, the terminal and acquirer tables 2^24.
 * <p>
 * Each file is read twice: a fast byte scan counts its records (so each table is allocated at its
 * exact size) and digests its bytes; a second pass parses and checks the rows. The keys are
 * read first, so a wrong LMK stops the import before the large files are read. The scan of each
 * file after {@code households.csv} runs on a thread of its own ({@link FileOpening}) while the
 * file before it is parsed, so a 2-core machine scans {@code cards.csv} (6 GB nationally) while it
 * parses the households; files are still taken, and errors reported, in the order above.
 * <p>
 * {@link DataSet#fingerprint()} is the first 8 bytes, big-endian, of SHA-256 over, for each of
 * {@code households.csv}, {@code cards.csv}, {@code terminals.csv}, {@code acquirers.csv},
 * {@code keys.csv} in that order: the file name in UTF-8, a 0 byte, then the 32-byte SHA-256 of the
 * file's bytes (nothing for an absent {@code acquirers.csv}, whose name is followed by a 1 byte).
 */
public final class DataSetImporter
{
    /** Rows between two progress reports. */
    public static final int PROGRESS_INTERVAL_ROWS = 1 << 16;

    private DataSetImporter()
    {
    }

    /**
     * Loads a data directory without reporting progress.
     *
     * @param dataDirectory the directory holding the data files.
     * @param lmk           the local master key the files' keys are encrypted under.
     * @return the whole data set.
     * @throws ImportException at the first missing file or bad row.
     */
    public static DataSet load(final Path dataDirectory, final TdesKey lmk) throws ImportException
    {
        return load(dataDirectory, lmk, ImportListener.NONE);
    }

    /**
     * Loads a data directory, reporting progress to a listener.
     *
     * @param dataDirectory the directory holding the data files.
     * @param lmk           the local master key the files' keys are encrypted under.
     * @param listener      told how far the import has got.
     * @return the whole data set.
     * @throws ImportException at the first missing file or bad row.
     */
    public static DataSet load(final Path dataDirectory, final TdesKey lmk, final ImportListener listener)
        throws ImportException
    {
        return load(dataDirectory, lmk, listener, Headroom.DEFAULT);
    }

    /**
     * Loads a data directory into tables with room for live changes.
     *
     * @param headroom room each table keeps for live changes (spec §12).
     */
    public static DataSet load(final Path dataDirectory, final TdesKey lmk, final ImportListener listener, final Headroom headroom)
        throws ImportException
    {
        final MessageDigest keysDigest = sha256();
        final byte[] pinVerificationKey;
        try (CsvFile file = open(dataDirectory, DataFiles.KEYS, DataFiles.KEYS_COLUMNS, KeysLoader.DISPLAY, keysDigest))
        {
            pinVerificationKey = KeysLoader.load(file, lmk);
        }

        // Each file's scan runs on a thread of its own while the file before it is parsed; the files
        // are still taken, and their errors reported, in this order.
        final MessageDigest householdsDigest = sha256();
        final MessageDigest cardsDigest = sha256();
        final MessageDigest terminalsDigest = sha256();
        final boolean hasAcquirers = Files.exists(dataDirectory.resolve(DataFiles.ACQUIRERS));
        final MessageDigest acquirersDigest = hasAcquirers ? sha256() : null;
        FileOpening cardsOpening = null;
        FileOpening terminalsOpening = null;
        FileOpening acquirersOpening = null;
        try
        {
            final HouseholdTable households;
            try (CsvFile file = open(
                dataDirectory, DataFiles.HOUSEHOLDS, DataFiles.HOUSEHOLDS_COLUMNS, HouseholdsLoader.DISPLAY, householdsDigest))
            {
                cardsOpening = FileOpening.start(DataFiles.CARDS, () ->
                    open(dataDirectory, DataFiles.CARDS, DataFiles.CARDS_COLUMNS, CardsLoader.DISPLAY, cardsDigest));
                households = HouseholdsLoader.load(file, listener, headroom);
            }

            final CardTable cards;
            try (CsvFile file = cardsOpening.await())
            {
                cardsOpening = null;
                terminalsOpening = FileOpening.start(DataFiles.TERMINALS, () -> open(
                    dataDirectory, DataFiles.TERMINALS, DataFiles.TERMINALS_COLUMNS, TerminalsLoader.DISPLAY, terminalsDigest));
                if (hasAcquirers)
                {
                    acquirersOpening = FileOpening.start(DataFiles.ACQUIRERS, () -> open(
                        dataDirectory, DataFiles.ACQUIRERS, DataFiles.ACQUIRERS_COLUMNS, AcquirersLoader.DISPLAY, acquirersDigest));
                }
                cards = CardsLoader.load(file, households, listener, headroom);
            }

            final TerminalTable terminals;
            try (CsvFile file = terminalsOpening.await())
            {
                terminalsOpening = null;
                terminals = TerminalsLoader.load(file, lmk, listener, headroom);
            }

            final AcquirerTable acquirers;
            if (acquirersOpening != null)
            {
                try (CsvFile file = acquirersOpening.await())
                {
                    acquirersOpening = null;
                    acquirers = AcquirersLoader.load(file, lmk, listener, headroom);
                }
            }
            else
            {
                acquirers = new AcquirerTable(headroom.capacity(0, 1 << 24));
            }
            return fingerprinted(households, cards, terminals, acquirers, pinVerificationKey,
                householdsDigest, cardsDigest, terminalsDigest, acquirersDigest, keysDigest);
        }
        finally
        {
            abandon(cardsOpening);
            abandon(terminalsOpening);
            abandon(acquirersOpening);
        }
    }

    private static DataSet fingerprinted(
        final HouseholdTable households,
        final CardTable cards,
        final TerminalTable terminals,
        final AcquirerTable acquirers,
        final byte[] pinVerificationKey,
        final MessageDigest householdsDigest,
        final MessageDigest cardsDigest,
        final MessageDigest terminalsDigest,
        final MessageDigest acquirersDigest,
        final MessageDigest keysDigest)
    {
        final MessageDigest fingerprint = sha256();
        addToFingerprint(fingerprint, DataFiles.HOUSEHOLDS, householdsDigest);
        addToFingerprint(fingerprint, DataFiles.CARDS, cardsDigest);
        addToFingerprint(fingerprint, DataFiles.TERMINALS, terminalsDigest);
        addToFingerprint(fingerprint, DataFiles.ACQUIRERS, acquirersDigest);
        addToFingerprint(fingerprint, DataFiles.KEYS, keysDigest);
        final long fingerprintValue = java.nio.ByteBuffer.wrap(fingerprint.digest()).getLong();

        return new DataSet(households, cards, terminals, acquirers, pinVerificationKey, fingerprintValue);
    }

    static void report(final CsvFile file, final ImportListener listener)
    {
        if ((file.rowsRead() & (PROGRESS_INTERVAL_ROWS - 1)) == 0)
        {
            listener.onProgress(file.fileName(), file.rowsRead(), file.dataRows());
        }
    }

    static void reportEnd(final CsvFile file, final ImportListener listener)
    {
        listener.onProgress(file.fileName(), file.rowsRead(), file.dataRows());
    }

    private static CsvFile open(
        final Path directory,
        final String fileName,
        final List<String> columns,
        final byte[] display,
        final MessageDigest digest) throws ImportException
    {
        return CsvFile.open(directory, fileName, columns.toArray(String[]::new), display, digest);
    }

    private static void abandon(final FileOpening opening)
    {
        if (opening != null)
        {
            opening.abandon();
        }
    }

    private static void addToFingerprint(final MessageDigest fingerprint, final String fileName, final MessageDigest file)
    {
        fingerprint.update(fileName.getBytes(StandardCharsets.UTF_8));
        if (file == null)
        {
            fingerprint.update((byte)1);
        }
        else
        {
            fingerprint.update((byte)0);
            fingerprint.update(file.digest());
        }
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", ex);
        }
    }
}
