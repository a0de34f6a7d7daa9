package org.unicard.cluster;

/**
 * The members of a cluster as {@code --cluster-members} gives them: {@code 0=HOST:BASEPORT,1=HOST:BASEPORT,...},
 * ids 0..n-1 each once, and every port the engine needs derived from the member's BASEPORT:
 * <pre>
 *   +0 client ingress          +4 archive control requests
 *   +1 consensus (members)     +5 archive replication
 *   +2 log                     +6 cluster replication
 *   +3 catch-up                +7..+9 reserved
 * </pre>
 * Archive control responses and egress to gateways use ephemeral ports.
 */
public final class ClusterMembers
{
    public static final int INGRESS = 0;
    public static final int CONSENSUS = 1;
    public static final int LOG = 2;
    public static final int CATCHUP = 3;
    public static final int ARCHIVE_CONTROL = 4;
    public static final int ARCHIVE_REPLICATION = 5;
    public static final int CLUSTER_REPLICATION = 6;
    /** Ports each member takes from its BASEPORT on. */
    public static final int PORTS = 10;
    /** Most members (Raft with 3 or 5 is the use; 7 at most). */
    public static final int MAX_MEMBERS = 7;

    private final String[] hosts;
    private final int[] basePorts;

    private ClusterMembers(final String[] hosts, final int[] basePorts)
    {
        this.hosts = hosts;
        this.basePorts = basePorts;
    }

    /**
     * @param text {@code 0=HOST:BASEPORT,1=HOST:BASEPORT,...}
     * @return the members.
     * @throws IllegalArgumentException naming the option, the item and what is wrong.
     */
    public static ClusterMembers parse(final String text)
    {
        if (text == null || text.isBlank())
        {
            throw new IllegalArgumentException("--cluster-members: empty; expected 0=HOST:BASEPORT,1=HOST:BASEPORT,...");
        }
        final String[] items = text.split(",", -1);
        if (items.length > MAX_MEMBERS)
        {
            throw new IllegalArgumentException("--cluster-members: members=" + items.length + " max=" + MAX_MEMBERS);
        }
        final String[] hosts = new String[items.length];
        final int[] basePorts = new int[items.length];
        for (final String item : items)
        {
            final int equals = item.indexOf('=');
            final int colon = item.lastIndexOf(':');
            if (equals <= 0 || colon <= equals + 1 || colon == item.length() - 1)
            {
                throw new IllegalArgumentException("--cluster-members: item=\"" + item + "\" expected ID=HOST:BASEPORT");
            }
            final int id = number(item, item.substring(0, equals), "id");
            if (id < 0 || id >= items.length)
            {
                throw new IllegalArgumentException("--cluster-members: item=\"" + item + "\" id=" + id + " range=[0," + (items.length - 1)
                    + "] (ids are 0..members-1)");
            }
            if (hosts[id] != null)
            {
                throw new IllegalArgumentException("--cluster-members: item=\"" + item + "\" id=" + id + " given twice");
            }
            final int port = number(item, item.substring(colon + 1), "baseport");
            if (port < 1 || port + PORTS - 1 > 65_535)
            {
                throw new IllegalArgumentException("--cluster-members: item=\"" + item + "\" baseport=" + port + " range=[1,"
                    + (65_535 - PORTS + 1) + "]");
            }
            hosts[id] = item.substring(equals + 1, colon);
            basePorts[id] = port;
        }
        for (int i = 0; i < hosts.length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (hosts[i].equals(hosts[j]) && Math.abs(basePorts[i] - basePorts[j]) < PORTS)
                {
                    throw new IllegalArgumentException("--cluster-members: members " + j + " and " + i + " on host=" + hosts[i]
                        + " overlap (baseports " + basePorts[j] + " and " + basePorts[i] + "; each takes " + PORTS + " ports)");
                }
            }
        }
        return new ClusterMembers(hosts, basePorts);
    }

    private static int number(final String item, final String text, final String what)
    {
        try
        {
            return Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--cluster-members: item=\"" + item + "\" " + what + "=\"" + text + "\" not a number");
        }
    }

    public int count()
    {
        return hosts.length;
    }

    public String host(final int member)
    {
        return hosts[member];
    }

    /**
     * @param member a member id.
     * @param offset one of the port offsets above.
     * @return the port.
     */
    public int port(final int member, final int offset)
    {
        return basePorts[member] + offset;
    }

    public String endpoint(final int member, final int offset)
    {
        return hosts[member] + ":" + port(member, offset);
    }

    /**
     * @return the consensus module's {@code clusterMembers}: per member
     * {@code id,ingress,consensus,log,catchup,archive} separated by {@code |}.
     */
    public String consensusMembers()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < hosts.length; i++)
        {
            if (i > 0)
            {
                text.append('|');
            }
            text.append(i).append(',').append(endpoint(i, INGRESS)).append(',').append(endpoint(i, CONSENSUS)).append(',')
                .append(endpoint(i, LOG)).append(',').append(endpoint(i, CATCHUP)).append(',').append(endpoint(i, ARCHIVE_CONTROL));
        }
        return text.toString();
    }

    /**
     * @return a cluster client's {@code ingressEndpoints}: {@code id=host:port,...}.
     */
    public String ingressEndpoints()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < hosts.length; i++)
        {
            if (i > 0)
            {
                text.append(',');
            }
            text.append(i).append('=').append(endpoint(i, INGRESS));
        }
        return text.toString();
    }
}
