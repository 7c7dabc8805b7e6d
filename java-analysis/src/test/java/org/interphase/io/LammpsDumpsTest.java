package org.interphase.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.interphase.testutil.Lammps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers against files written by the project's real LAMMPS: the same frames as {@code dump h5md} and as a
 * {@code dump custom} text dump (%.17g) must agree exactly; a triclinic text dump written with x y z and with
 * xs ys zs must agree; incomplete H5MD files and an empty group give one-line errors.
 */
class LammpsDumpsTest {
    @TempDir
    static Path dir;

    static final TypeMap TYPES = TypeMap.parse("Li,Cl,P");

    @BeforeAll
    static void runLammps() throws IOException, InterruptedException {
        // Li/Cl mixture on a simple-cubic lattice, Lennard-Jones, NVE, box stretched along x while running
        // (so the time-dependent box/edges are exercised), boxlo = 0. 1100 atoms: LAMMPS then chunks the atom
        // axis in blocks of 256, which exercises multi-chunk frames (jhdf's own slicing gets those wrong).
        Lammps.run(dir, """
                units metal
                atom_style atomic
                boundary p p p
                lattice sc 2.6
                region box block 0 10 0 10 0 11
                create_box 3 box
                create_atoms 1 box
                set type 1 type/fraction 2 0.4 1234
                mass 1 6.94
                mass 2 35.45
                mass 3 30.97
                group empty type 3
                pair_style lj/cut 5.0
                pair_coeff * * 0.01 2.3
                velocity all create 600 4928459
                timestep 0.001
                fix 1 all nve
                fix 2 all deform 1 x final 0.0 26.5 remap x
                dump d1 all h5md 10 traj.h5 position species
                dump d2 all custom 10 traj.lammpstrj id type x y z
                dump_modify d2 sort id format float %.17g time yes
                dump d3 all h5md 10 nospecies.h5 position
                dump d4 all h5md 10 nopos.h5 species
                dump d5 empty custom 10 empty.lammpstrj id type x y z
                run 50
                """);
        Path tri = dir.resolve("tri");
        Files.createDirectories(tri);
        Lammps.run(tri, """
                units metal
                atom_style atomic
                boundary p p f
                region box prism -1 11 -2 9 0.5 12 2.5 -1.5 1.0
                create_box 2 box
                create_atoms 1 random 60 777 NULL overlap 1.5
                create_atoms 2 random 40 778 NULL overlap 1.5
                mass * 10.0
                dump a all custom 1 tri_x.lammpstrj id type x y z
                dump_modify a format float %.17g
                dump b all custom 1 tri_s.lammpstrj id type xs ys zs
                dump_modify b format float %.17g
                run 0
                """);
    }

    @Test
    void h5mdMatchesTextDumpFrameByFrame() throws IOException {
        int frames = 0;
        try (H5mdReader h = new H5mdReader(dir.resolve("traj.h5"), null, TYPES, null);
                LammpsDumpReader t = new LammpsDumpReader(dir.resolve("traj.lammpstrj"), TYPES)) {
            assertEquals(6, h.frameCountHint());
            Frame a, b;
            double prevLx = -1;
            while ((a = h.next()) != null) {
                b = t.next();
                assertNotNull(b, "text dump has fewer frames");
                assertEquals(b.step(), a.step(), "step");
                assertEquals(b.time(), a.time(), 1e-12 * Math.max(1, Math.abs(b.time())), "time");
                assertEquals(b.box(), a.box(), "box at step " + a.step());
                assertArrayEquals(b.types(), a.types(), "types at step " + a.step());
                assertArrayEquals(b.elements(), a.elements());
                assertArrayEquals(b.positions(), a.positions(), 0.0, "positions at step " + a.step());
                assertEquals(1100, a.size());
                assertTrue(a.box().h(0, 0) > prevLx, "box grows along x over time");
                prevLx = a.box().h(0, 0);
                frames++;
            }
            assertNull(t.next(), "text dump has more frames");
        }
        assertEquals(6, frames);
    }

    @Test
    void deflatedH5mdMatchesTextDump(@TempDir Path tmp) throws IOException {
        // fixture from src/test/python/make_deflated_h5md.py: a LAMMPS dump h5md file re-packed with gzip + shuffle
        // (same chunks, attributes and step/time hard links), and the text dump of the same run
        Path h5 = org.interphase.testutil.Fixtures.copy("/fixtures/h5md/deflated.h5", tmp);
        Path txt = org.interphase.testutil.Fixtures.copy("/fixtures/h5md/deflated.lammpstrj", tmp);
        TypeMap tm = TypeMap.parse("Li,Cl");
        int frames = 0;
        try (FrameSource h = Trajectories.open(h5, Trajectories.Format.AUTO, tm, null, null);
                LammpsDumpReader t = new LammpsDumpReader(txt, tm)) {
            Frame a, b;
            while ((a = h.next()) != null) {
                b = t.next();
                assertNotNull(b);
                assertEquals(b.step(), a.step());
                assertEquals(b.box(), a.box());
                assertArrayEquals(b.types(), a.types());
                assertArrayEquals(b.positions(), a.positions(), 0.0, "positions at step " + a.step());
                frames++;
            }
            assertNull(t.next());
        }
        assertEquals(3, frames);
    }

    @Test
    void triclinicScaledAndCartesianAgree() throws IOException {
        try (LammpsDumpReader x = new LammpsDumpReader(dir.resolve("tri/tri_x.lammpstrj"), TypeMap.parse("Li,Cl"));
                LammpsDumpReader s = new LammpsDumpReader(dir.resolve("tri/tri_s.lammpstrj"), TypeMap.parse("Li,Cl"))) {
            Frame a = x.next(), b = s.next();
            // region prism -1 11 -2 9 0.5 12 xy=2.5 xz=-1.5 yz=1.0
            assertArrayEquals(new double[] {12, 0, 0, 2.5, 11, 0, -1.5, 1.0, 11.5}, a.box().h(), 1e-12);
            assertArrayEquals(new boolean[] {true, true, false}, a.box().periodic());
            assertEquals(a.box(), b.box());
            assertArrayEquals(a.types(), b.types());
            assertArrayEquals(a.positions(), b.positions(), 1e-9);
            assertEquals(100, a.size());
        }
    }

    @Test
    void h5mdWithoutSpeciesOrPositionIsRejected() {
        InputException e = assertThrows(InputException.class, () -> new H5mdReader(dir.resolve("nospecies.h5"), null, TYPES, null));
        assertTrue(e.getMessage().contains("species is missing"), e.getMessage());
        e = assertThrows(InputException.class, () -> new H5mdReader(dir.resolve("nopos.h5"), null, TYPES, null));
        assertTrue(e.getMessage().contains("position is missing"), e.getMessage());
    }

    @Test
    void truncatedH5mdIsRejected() throws IOException {
        byte[] all = Files.readAllBytes(dir.resolve("traj.h5"));
        for (int cut : new int[] {100, 4000, all.length / 2, all.length - 3000}) {
            Path p = dir.resolve("trunc" + cut + ".h5");
            Files.write(p, Arrays.copyOf(all, cut));
            InputException e = assertThrows(InputException.class, () -> {
                try (FrameSource src = Trajectories.open(p, Trajectories.Format.AUTO, TYPES, null, null)) {
                    while (src.next() != null) {
                        // read everything
                    }
                }
            }, "truncated at " + cut);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void emptyGroupFrameIsRejected() {
        InputException e = assertThrows(InputException.class, () -> {
            try (LammpsDumpReader r = new LammpsDumpReader(dir.resolve("empty.lammpstrj"), TYPES)) {
                r.next();
            }
        });
        assertTrue(e.getMessage().contains("zero atoms"), e.getMessage());
    }

    @Test
    void missingTypeIsRejected() {
        InputException e = assertThrows(InputException.class, () -> {
            try (H5mdReader r = new H5mdReader(dir.resolve("traj.h5"), null, TypeMap.parse("Li"), null)) {
                r.next();
            }
        });
        assertTrue(e.getMessage().contains("atom type 2 is missing"), e.getMessage());
    }

    /** Dir of generated files, for other tests. */
    static Path dir() {
        return dir;
    }
}
