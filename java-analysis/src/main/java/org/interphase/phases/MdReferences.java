package org.interphase.phases;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.interphase.io.Frame;
import org.interphase.io.InputException;
import org.interphase.io.LammpsDumpReader;
import org.interphase.io.TypeMap;
import org.interphase.lammps.LammpsInstallation;
import org.interphase.lammps.LammpsRun;
import org.interphase.structure.InterfaceCell;

/**
 * Reference environments from a short MD of every reference crystal with the trajectory's own potential: LAMMPS with
 * {@code pair_style onnx} and the model, NVT (Langevin, damping 0.1 ps) at the trajectory's temperature in a
 * supercell at the literature lattice, equilibrated and then sampled ({@link Protocol}). The references then hold
 * what the model makes of each crystal at that temperature (its relaxed positions, its thermal spread), not the
 * ideal structure.
 *
 * <p>Runs are cached in {@code cacheDir}, one directory per crystal keyed by the SHA-256 of the model file, the
 * deck, the data file, the temperature, the protocol and the seed: a second analysis with the same model and
 * temperature reads the snapshots back. Crystals with an element the model does not know are rattled instead (the
 * fallback), and the report says which. Missing runs go {@code parallel} at a time, one serial LAMMPS each.
 */
public final class MdReferences implements ReferenceEnvironments {
    /** The input deck (a resource next to this class). */
    public static final String DECK = "reference-md.lmp";
    /** Seconds before one reference run is stopped. */
    public static final long TIMEOUT_SECONDS = 3600;
    private static final String DUMP = "dump.lammpstrj";
    private static final String DONE = "done";

    /**
     * How long each crystal is simulated: NVT equilibration, then sampling with one snapshot every
     * samplingPs / snapshots (the snapshot at the start of sampling is not used).
     *
     * @param equilibrationPs NVT equilibration (ps)
     * @param samplingPs      sampled NVT (ps)
     * @param snapshots       snapshots taken during sampling
     */
    public record Protocol(double equilibrationPs, double samplingPs, int snapshots) {
        /** 0.5 ps of equilibration, then 5 snapshots over 0.5 ps. */
        public static final Protocol DEFAULT = new Protocol(0.5, 0.5, 5);
        /** Time step (ps) of the deck. */
        public static final double TIMESTEP_PS = 0.001;

        /** Checks the values; messages name cause and fix. */
        public Protocol {
            if (!(equilibrationPs >= 0 && equilibrationPs <= 1000) || !(samplingPs > 0 && samplingPs <= 1000) || snapshots < 1 || snapshots > 10000) {
                throw new InputException("--reference-md needs EQ_PS in 0..1000, SAMPLE_PS in (0, 1000] and SNAPSHOTS in 1..10000, got "
                        + equilibrationPs + ":" + samplingPs + ":" + snapshots + " (default 0.5:0.5:5)");
            }
            if (steps(samplingPs) < snapshots) {
                throw new InputException("--reference-md: " + snapshots + " snapshots need at least as many 1 fs steps of sampling, got "
                        + steps(samplingPs) + ": raise SAMPLE_PS or lower SNAPSHOTS");
            }
        }

        /** Parses EQ_PS:SAMPLE_PS:SNAPSHOTS. */
        public static Protocol parse(String text) {
            String[] f = text.split(":");
            try {
                if (f.length != 3) throw new NumberFormatException();
                return new Protocol(Double.parseDouble(f[0].trim()), Double.parseDouble(f[1].trim()), Integer.parseInt(f[2].trim()));
            } catch (NumberFormatException e) {
                throw new InputException("--reference-md '" + text + "' must look like EQ_PS:SAMPLE_PS:SNAPSHOTS, e.g. 0.5:0.5:5");
            }
        }

        static int steps(double ps) {
            return (int) Math.round(ps / TIMESTEP_PS);
        }

        int every() {
            return steps(samplingPs) / snapshots;
        }
    }

    private final Path model;
    private final List<String> modelSpecies;
    private final byte[] modelDigest;
    private final double temperature;
    private final LammpsInstallation lammps;
    private final Path cacheDir;
    private final Protocol protocol;
    private final int parallel;
    private final ReferenceRattle fallback;
    private final Consumer<String> progress;
    private final Map<String, Job> runs = new LinkedHashMap<>();
    private final List<String> rattled = new ArrayList<>();
    private int cached;

    /**
     * References by MD.
     *
     * @param model        the ONNX model of the trajectory (interphase contract)
     * @param modelSpecies its species (metadata interphase.species)
     * @param temperature  trajectory temperature (K)
     * @param lammps       LAMMPS and the plugin
     * @param cacheDir     cache of finished runs (created when missing)
     * @param protocol     MD lengths
     * @param parallel     LAMMPS runs at a time
     * @param progress     receives one line per started run
     */
    public MdReferences(Path model, List<String> modelSpecies, double temperature, LammpsInstallation lammps, Path cacheDir, Protocol protocol,
            int parallel, Consumer<String> progress) throws IOException {
        if (!(temperature > 0)) throw new InputException("--model samples references by MD at --temperature, which must be > 0 K, got " + temperature);
        this.model = model.toAbsolutePath();
        this.modelSpecies = List.copyOf(modelSpecies);
        this.modelDigest = digest(Files.readAllBytes(model));
        this.temperature = temperature;
        this.lammps = lammps;
        this.cacheDir = cacheDir;
        this.protocol = protocol;
        this.parallel = Math.max(1, parallel);
        this.fallback = new ReferenceRattle(temperature, 0);
        this.progress = progress;
    }

    /** Default cache: $XDG_CACHE_HOME/interphase/references, else ~/.cache/interphase/references. */
    public static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("interphase").resolve("references");
    }

    private boolean simulated(ReferenceCrystal c) {
        for (String e : c.elements()) if (!modelSpecies.contains(e)) return false;
        return true;
    }

    /** Runs every missing crystal, {@code parallel} at a time. */
    @Override
    public void prepare(List<ReferenceCrystal> crystals, double minWidth, long seed) throws IOException {
        Files.createDirectories(cacheDir);
        List<Job> todo = new ArrayList<>();
        for (ReferenceCrystal c : crystals) {
            if (!simulated(c)) {
                if (!rattled.contains(c.phase())) rattled.add(c.phase());
                continue;
            }
            Job job = job(c, minWidth, seed);
            runs.put(c.phase(), job);
            if (Files.isRegularFile(job.dir().resolve(DONE))) cached++;
            else todo.add(job);
        }
        if (todo.isEmpty()) return;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, todo.size()));
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (Job job : todo) {
                fs.add(pool.submit(() -> {
                    runOne(job);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable t = e.getCause();
                    if (t instanceof RuntimeException r) throw r;
                    if (t instanceof IOException io) throw io;
                    throw new IllegalStateException(t);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InputException("reference MD was interrupted");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One crystal's run: its ideal supercell, the data file written from it, the cache key and directory. */
    private record Job(ReferenceCrystal.Supercell supercell, Path dir, String data, String key, int seed) {
    }

    private Job job(ReferenceCrystal c, double minWidth, long seed) {
        ReferenceCrystal.Supercell sc = c.supercell(minWidth, 0.0, seed);
        String data = dataFile(sc);
        MessageDigest md = sha256();
        md.update(modelDigest);
        md.update(deck().getBytes(StandardCharsets.UTF_8));
        md.update(data.getBytes(StandardCharsets.UTF_8));
        md.update(String.format(Locale.ROOT, "T=%.6f %s seed=%d", temperature, protocol, velocitySeed(c, seed)).getBytes(StandardCharsets.UTF_8));
        String key = HexFormat.of().formatHex(md.digest()).substring(0, 16);
        String name = String.format(Locale.ROOT, "%s-%.0fK-%s", c.phase(), temperature, key);
        return new Job(sc, cacheDir.resolve(name), data, key, velocitySeed(c, seed));
    }

    private static int velocitySeed(ReferenceCrystal c, long seed) {
        return (int) (Math.floorMod(seed * 31 + c.phase().hashCode(), 900_000_000L) + 1);
    }

    private void runOne(Job job) throws IOException {
        ReferenceCrystal.Supercell sc = job.supercell();
        ReferenceCrystal c = sc.crystal();
        List<String> elements = distinctElements(sc.frame());
        Path work = Files.createTempDirectory(cacheDir, ".run-" + c.phase() + "-");
        Files.writeString(work.resolve("data.lmp"), job.data());
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("model", model.toString());
        vars.put("elements", String.join(" ", elements));
        vars.put("T", String.format(Locale.ROOT, "%.6f", temperature));
        vars.put("seed", Integer.toString(job.seed()));
        vars.put("eq_steps", Integer.toString(Protocol.steps(protocol.equilibrationPs())));
        vars.put("sample_steps", Integer.toString(protocol.every() * protocol.snapshots()));
        vars.put("every", Integer.toString(protocol.every()));
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, "reference MD of %s: %d atoms, %.2f + %.2f ps NVT at %.0f K with %s", c.phase(),
                    sc.frame().size(), protocol.equilibrationPs(), protocol.samplingPs(), temperature, model.getFileName()));
        }
        LammpsRun.run(lammps, "reference MD of " + c.phase() + " (LAMMPS " + lammps.describe() + ")", work, deck(), vars, TIMEOUT_SECONDS);
        if (!Files.isRegularFile(work.resolve(DUMP))) {
            throw new InputException("reference MD of " + c.phase() + " wrote no " + DUMP + ": see " + work.resolve(LammpsRun.LOG));
        }
        Files.writeString(work.resolve(DONE), job.key() + "\n");
        try {
            Files.move(work, job.dir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            deleteTree(work); // another analysis finished the same run first
        } catch (AtomicMoveNotSupportedException e) {
            throw new InputException("cannot move " + work + " into the reference cache " + cacheDir + ": pass --reference-cache DIR on one file system");
        }
    }

    private static List<String> distinctElements(Frame f) {
        List<String> out = new ArrayList<>();
        for (String e : f.elements()) if (!out.contains(e)) out.add(e);
        return out;
    }

    /** LAMMPS data file of the ideal supercell: types in order of first appearance, Masses from {@link InterfaceCell}. */
    static String dataFile(ReferenceCrystal.Supercell sc) {
        Frame f = sc.frame();
        double[] h = f.box().h();
        if (Math.abs(h[1]) > 1e-12 || Math.abs(h[2]) > 1e-12 || Math.abs(h[5]) > 1e-12) {
            throw new IllegalStateException(sc.crystal().phase() + ": cell vectors are not in LAMMPS's lower-triangular form");
        }
        List<String> elements = distinctElements(f);
        StringBuilder sb = new StringBuilder();
        sb.append("Interphase reference crystal ").append(sc.crystal().phase()).append(" (ideal supercell)\n\n");
        sb.append(f.size()).append(" atoms\n").append(elements.size()).append(" atom types\n\n");
        sb.append(String.format(Locale.ROOT, "0 %.10f xlo xhi%n0 %.10f ylo yhi%n0 %.10f zlo zhi%n", h[0], h[4], h[8]));
        if (!f.box().isOrthogonal()) sb.append(String.format(Locale.ROOT, "%.10f %.10f %.10f xy xz yz%n", h[3], h[6], h[7]));
        sb.append("\nMasses\n\n");
        for (int t = 0; t < elements.size(); t++) {
            sb.append(t + 1).append(' ').append(InterfaceCell.TYPE_MASSES[InterfaceCell.typeOf(elements.get(t))]).append(" # ")
                    .append(elements.get(t)).append('\n');
        }
        sb.append("\nAtoms # atomic\n\n");
        for (int i = 0; i < f.size(); i++) {
            sb.append(String.format(Locale.ROOT, "%d %d %.10f %.10f %.10f%n", i + 1, elements.indexOf(f.elements()[i]) + 1, f.x(i, 0), f.x(i, 1), f.x(i, 2)));
        }
        return sb.toString();
    }

    @Override
    public List<Snapshot> snapshots(ReferenceCrystal c, double minWidth, long seed) throws IOException {
        if (!simulated(c)) {
            if (!rattled.contains(c.phase())) rattled.add(c.phase());
            return fallback.snapshots(c, minWidth, seed);
        }
        Job job = runs.get(c.phase());
        if (job == null || !Files.isRegularFile(job.dir().resolve(DONE))) {
            prepare(List.of(c), minWidth, seed);
            job = runs.get(c.phase());
        }
        Path dir = job.dir();
        ReferenceCrystal.Supercell sc = job.supercell();
        List<String> elements = distinctElements(sc.frame());
        Map<Integer, String> types = new LinkedHashMap<>();
        for (int t = 0; t < elements.size(); t++) types.put(t + 1, elements.get(t));
        List<Snapshot> out = new ArrayList<>();
        try (LammpsDumpReader r = new LammpsDumpReader(dir.resolve(DUMP), TypeMap.of(types))) {
            Frame f;
            boolean first = true;
            while ((f = r.next()) != null) {
                if (first) { // the snapshot at the end of equilibration belongs to the equilibration
                    first = false;
                    continue;
                }
                long[] ids = r.atomIds();
                if (f.size() != sc.sites().length) {
                    throw new InputException("cached reference MD " + dir + " has " + f.size() + " atoms, expected " + sc.sites().length
                            + ": delete that directory and re-run");
                }
                String[] sites = new String[f.size()];
                for (int i = 0; i < f.size(); i++) sites[i] = sc.sites()[(int) (ids == null ? i : ids[i] - 1)];
                out.add(new Snapshot(f, sites));
            }
        }
        if (out.isEmpty()) throw new InputException("cached reference MD " + dir + " has no snapshots: delete that directory and re-run");
        return out;
    }

    @Override
    public String describe() {
        String s = String.format(Locale.ROOT, "references from MD with %s at %.0f K (%s ps NVT, %d snapshots after %s ps; %d of %d runs cached in %s)",
                model.getFileName(), temperature, fmt(protocol.samplingPs()), protocol.snapshots(), fmt(protocol.equilibrationPs()), cached,
                runs.size(), cacheDir);
        if (!rattled.isEmpty()) s += "; " + String.join(", ", rattled) + " rattled harmonically (elements the model does not know)";
        return s;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String deck() {
        try (InputStream in = MdReferences.class.getResourceAsStream(DECK)) {
            if (in == null) throw new IllegalStateException("resource " + DECK + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] digest(byte[] b) {
        return sha256().digest(b);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
