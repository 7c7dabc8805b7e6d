package org.interphase.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.interphase.testsupport.Repo;
import org.junit.jupiter.api.Test;

/**
 * Compiles a C program against interphase_bridge.h that prints sizeof/offsetof of every struct
 * field and compares them with {@link BridgeLayouts}. Needs a C compiler ({@code cc}); fails
 * when there is none.
 */
class BridgeLayoutsTest {

    @Test
    void everyStructMatchesTheCHeader() throws Exception {
        Path header = Repo.root().resolve("native-bridge/include/interphase_bridge.h");
        assertTrue(Files.isRegularFile(header), "missing " + header);
        Path dir = Files.createDirectories(Path.of("target", "layout-test"));
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"interphase_bridge.h\"\nint main(void) {\n");
        for (StructLayout s : BridgeLayouts.ALL) {
            String name = s.name().orElseThrow();
            c.append("  printf(\"").append(name).append(" sizeof %zu\\n\", sizeof(").append(name).append("));\n");
            for (MemoryLayout m : s.memberLayouts()) {
                if (m.name().isEmpty()) {
                    continue; // padding
                }
                String f = m.name().get();
                c.append("  printf(\"").append(name).append(' ').append(f).append(" %zu %zu\\n\", offsetof(")
                        .append(name).append(", ").append(f).append("), sizeof(((").append(name).append("*)0)->")
                        .append(f).append("));\n");
            }
        }
        // constants
        for (String k : new String[] {"IPH_ABI_VERSION", "IPH_OK", "IPH_ERR_ALL", "IPH_ERR_ONE", "IPH_ERR_PEER", "IPH_EXCHANGE_FORWARD", "IPH_EXCHANGE_REVERSE", "IPH_ERRCAP", "IPH_PATHCAP",
                "IPH_NEIGHMASK"}) {
            c.append("  printf(\"const ").append(k).append(" %ld\\n\", (long)(").append(k).append("));\n");
        }
        c.append("  return 0;\n}\n");
        Path src = dir.resolve("layout.c");
        Files.writeString(src, c);
        Path exe = dir.resolve("layout");
        run(new String[] {"cc", "-std=c99", "-Wall", "-Werror", "-I", header.getParent().toString(), "-o",
                exe.toString(), src.toString()}, "compile the layout probe");
        String out = run(new String[] {exe.toAbsolutePath().toString()}, "run the layout probe");
        Map<String, Long> c2 = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p[1].equals("sizeof") || p[0].equals("const")) {
                c2.put(p[0] + " " + p[1], Long.parseLong(p[2]));
            } else {
                c2.put(p[0] + " " + p[1] + " offset", Long.parseLong(p[2]));
                c2.put(p[0] + " " + p[1] + " size", Long.parseLong(p[3]));
            }
        }
        int checked = 0;
        for (StructLayout s : BridgeLayouts.ALL) {
            String name = s.name().orElseThrow();
            assertEquals(c2.get(name + " sizeof"), s.byteSize(), "sizeof(" + name + ")");
            int fields = 0;
            for (MemoryLayout m : s.memberLayouts()) {
                if (m.name().isEmpty()) {
                    continue;
                }
                String f = m.name().get();
                assertEquals(c2.get(name + " " + f + " offset"), s.byteOffset(PathElement.groupElement(f)),
                        "offsetof(" + name + ", " + f + ")");
                assertEquals(c2.get(name + " " + f + " size"), m.byteSize(), "sizeof(" + name + "." + f + ")");
                fields++;
                checked++;
            }
            long cFields = c2.keySet().stream().filter(k -> k.startsWith(name + " ") && k.endsWith(" offset")).count();
            assertEquals(cFields, fields, "field count of " + name);
        }
        assertEquals(c2.get("const IPH_ABI_VERSION"), (long) BridgeLayouts.ABI_VERSION);
        assertEquals(c2.get("const IPH_OK"), (long) BridgeLayouts.IPH_OK);
        assertEquals(c2.get("const IPH_ERR_ALL"), (long) BridgeLayouts.IPH_ERR_ALL);
        assertEquals(c2.get("const IPH_ERR_ONE"), (long) BridgeLayouts.IPH_ERR_ONE);
        assertEquals(c2.get("const IPH_ERR_PEER"), (long) BridgeLayouts.IPH_ERR_PEER);
        assertEquals(c2.get("const IPH_EXCHANGE_FORWARD"), (long) BridgeLayouts.IPH_EXCHANGE_FORWARD);
        assertEquals(c2.get("const IPH_EXCHANGE_REVERSE"), (long) BridgeLayouts.IPH_EXCHANGE_REVERSE);
        assertEquals(c2.get("const IPH_ERRCAP"), (long) BridgeLayouts.IPH_ERRCAP);
        assertEquals(c2.get("const IPH_PATHCAP"), (long) BridgeLayouts.IPH_PATHCAP);
        assertEquals(c2.get("const IPH_NEIGHMASK"), (long) BridgeLayouts.IPH_NEIGHMASK);
        assertEquals(76, checked, "fields compared");
    }

    /** The C side has no struct or field the Java side lacks (member declarations counted in the header). */
    @Test
    void headerHasNoStructOrFieldTheJavaSideLacks() throws IOException {
        String h = Files.readString(Repo.root().resolve("native-bridge/include/interphase_bridge.h"));
        h = h.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Map<String, StructLayout> byName = new HashMap<>();
        for (StructLayout s : BridgeLayouts.ALL) {
            byName.put(s.name().orElseThrow(), s);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("typedef struct (\\w+)\\s*\\{([^}]*)\\}").matcher(h);
        int structs = 0;
        while (m.find()) {
            StructLayout s = byName.get(m.group(1));
            assertTrue(s != null, "BridgeLayouts lacks struct " + m.group(1));
            long cMembers = m.group(2).chars().filter(ch -> ch == ';').count();
            long jMembers = s.memberLayouts().stream().filter(l -> l.name().isPresent()).count();
            assertEquals(cMembers, jMembers, "member count of " + m.group(1));
            structs++;
        }
        assertEquals(BridgeLayouts.ALL.length, structs, "structs in the header");
    }

    private static String run(String[] cmd, String what) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("cannot " + what + ": '" + cmd[0] + "' is not available (" + e.getMessage()
                    + "); install a C compiler (apt-get install gcc) - this test needs it");
            throw e;
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timeout: " + what);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), what + " failed: " + out);
        return out;
    }
}
