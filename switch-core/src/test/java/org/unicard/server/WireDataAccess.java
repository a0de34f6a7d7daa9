package org.unicard.server;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Lets tests in other packages write the wire-test data set.
 */
public final class WireDataAccess
{
    private WireDataAccess()
    {
    }

    public static void write(final Path directory) throws IOException
    {
        WireData.write(directory);
    }

    public static org.unicard.state.DataSet imported(final Path directory) throws IOException, org.unicard.importer.ImportException
    {
        return WireData.imported(directory);
    }
}
