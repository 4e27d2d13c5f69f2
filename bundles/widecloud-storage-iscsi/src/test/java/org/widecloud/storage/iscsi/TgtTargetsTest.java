package org.widecloud.storage.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

/** tgtadm's target list as tgt 1.0.85 (Debian 12) prints it, with one initiator logged in to the first target. */
class TgtTargetsTest {
    static final String SHOW = """
            Target 1: iqn.2026-11.org.widecloud:vol1
                System information:
                    Driver: iscsi
                    State: ready
                I_T nexus information:
                    I_T nexus: 7
                        Initiator: iqn.2008-11.org.linux-kvm alias: none
                        Connection: 0
                            IP Address: 127.0.0.1
                LUN information:
                    LUN: 0
                        Type: controller
                        Backing store type: null
                        Backing store path: None
                        Backing store flags:\s
                    LUN: 1
                        Type: disk
                        Size: 67 MB, Block size: 512
                        Backing store type: rdwr
                        Backing store path: /srv/p/vol1.img
                        Backing store flags:\s
                Account information:
                    user1
                ACL information:
                    ALL
            Target 3: iqn.2026-11.org.widecloud:vol3
                System information:
                    Driver: iscsi
                    State: ready
                I_T nexus information:
                LUN information:
                    LUN: 0
                        Backing store path: None
                Account information:
                ACL information:
                    10.0.0.0/24
                    fd00::1
            """;

    @Test
    void readsTargetsSessionsFilesAccountsAndAcl() {
        TgtTargets t = TgtTargets.parse(SHOW);
        assertEquals(new TgtTargets.Target(1, "iqn.2026-11.org.widecloud:vol1", List.of("/srv/p/vol1.img"), 1,
                List.of("user1"), List.of("ALL")), t.get("iqn.2026-11.org.widecloud:vol1"));
        assertEquals(new TgtTargets.Target(3, "iqn.2026-11.org.widecloud:vol3", List.of(), 0, List.of(),
                List.of("10.0.0.0/24", "fd00::1")), t.get("iqn.2026-11.org.widecloud:vol3"));
        assertNull(t.get("iqn.2026-11.org.widecloud:vol2"));
        assertEquals(2, t.freeTid());
        assertEquals(1, TgtTargets.parse("").freeTid());
    }
}
