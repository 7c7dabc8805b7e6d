package org.interphase.lammps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.interphase.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LammpsInstallationTest {

    @Test
    void missingLammpsNamesTheFix(@TempDir Path dir) {
        InputException e = assertThrows(InputException.class, () -> LammpsInstallation.find(dir.resolve("no-lmp"), null));
        assertTrue(e.getMessage().contains("--lmp") && e.getMessage().contains(LammpsInstallation.ENV_LMP), e.getMessage());
    }

    @Test
    void missingPluginNamesTheFix(@TempDir Path dir) throws Exception {
        Path lmp = Files.createFile(dir.resolve("lmp"));
        lmp.toFile().setExecutable(true);
        InputException e = assertThrows(InputException.class, () -> LammpsInstallation.find(lmp, dir.resolve("none.so")));
        assertTrue(e.getMessage().contains("--plugin") && e.getMessage().contains("build-plugin"), e.getMessage());
        assertEquals(lmp.toAbsolutePath(), LammpsInstallation.find(lmp, null).lmp());
    }

    /** A LAMMPS that fails: its first ERROR line and the log path in one line; the input was written with the plugin load. */
    @Test
    void failedRunReportsLammpsError(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("fake-lmp");
        Files.writeString(fake, "#!/bin/sh\nprintf 'LAMMPS (fake)\\nERROR: Unrecognized pair style onnx (src/force.cpp:1)\\n' > log.lammps\nexit 1\n");
        fake.toFile().setExecutable(true);
        Path plugin = Files.createFile(dir.resolve("p.so"));
        Path work = Files.createDirectory(dir.resolve("work"));
        InputException e = assertThrows(InputException.class, () -> LammpsRun.run(new LammpsInstallation(fake, plugin), "reference MD of X", work,
                "units metal\n", Map.of("T", "300"), 30));
        assertTrue(e.getMessage().startsWith("reference MD of X failed: ERROR: Unrecognized pair style onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("log.lammps") && !e.getMessage().contains("\n"), e.getMessage());
        assertEquals("plugin load " + plugin + "\nunits metal\n", Files.readString(work.resolve(LammpsRun.INPUT)));
    }
}
