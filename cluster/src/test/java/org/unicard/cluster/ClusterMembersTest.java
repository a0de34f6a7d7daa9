package org.unicard.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClusterMembersTest
{
    @Test
    void shouldDeriveEveryPortFromEachMembersBasePort()
    {
        final ClusterMembers members = ClusterMembers.parse("1=10.0.0.2:9010,0=10.0.0.1:9000,2=10.0.0.3:9000");
        assertEquals(3, members.count());
        assertEquals("10.0.0.1", members.host(0));
        assertEquals(9010, members.port(1, ClusterMembers.INGRESS));
        assertEquals(9006, members.port(2, ClusterMembers.CLUSTER_REPLICATION));
        assertEquals("0,10.0.0.1:9000,10.0.0.1:9001,10.0.0.1:9002,10.0.0.1:9003,10.0.0.1:9004"
            + "|1,10.0.0.2:9010,10.0.0.2:9011,10.0.0.2:9012,10.0.0.2:9013,10.0.0.2:9014"
            + "|2,10.0.0.3:9000,10.0.0.3:9001,10.0.0.3:9002,10.0.0.3:9003,10.0.0.3:9004", members.consensusMembers());
        assertEquals("0=10.0.0.1:9000,1=10.0.0.2:9010,2=10.0.0.3:9000", members.ingressEndpoints());
    }

    @Test
    void shouldRefuseBadMemberListsNamingTheItem()
    {
        assertEquals("--cluster-members: empty; expected 0=HOST:BASEPORT,1=HOST:BASEPORT,...", message(""));
        assertEquals("--cluster-members: item=\"0=localhost\" expected ID=HOST:BASEPORT", message("0=localhost"));
        assertEquals("--cluster-members: item=\"x=localhost:9000\" id=\"x\" not a number", message("x=localhost:9000"));
        assertEquals("--cluster-members: item=\"3=h:9000\" id=3 range=[0,1] (ids are 0..members-1)", message("0=h:8000,3=h:9000"));
        assertEquals("--cluster-members: item=\"0=h:9000\" id=0 given twice", message("0=h:8000,0=h:9000"));
        assertEquals("--cluster-members: item=\"0=h:65530\" baseport=65530 range=[1,65526]", message("0=h:65530"));
        assertEquals("--cluster-members: members 0 and 1 on host=h overlap (baseports 9000 and 9005; each takes 10 ports)",
            message("0=h:9000,1=h:9005"));
        assertEquals("--cluster-members: members=8 max=7", message("0=h:1,1=h:20,2=h:40,3=h:60,4=h:80,5=h:100,6=h:120,7=h:140"));
    }

    private static String message(final String text)
    {
        return assertThrows(IllegalArgumentException.class, () -> ClusterMembers.parse(text)).getMessage();
    }
}
