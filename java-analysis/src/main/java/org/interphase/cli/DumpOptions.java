package org.interphase.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.interphase.io.FrameSource;
import org.interphase.io.InputException;
import org.interphase.io.Trajectories;
import org.interphase.io.TypeMap;
import picocli.CommandLine.Option;

/**
 * THE options that say how to read a trajectory (type-to-element map, format, H5MD group and origin), shared as a
 * picocli mixin by every command that reads a dump ({@code analyze}, {@code select}).
 */
public final class DumpOptions {
    @Option(names = "--types", paramLabel = "MAP", description = "LAMMPS type -> element: 'Li,P,S,Cl' or '1=Li,2=P,3=S,4=Cl'")
    String types;

    @Option(names = "--data", paramLabel = "FILE", description = "LAMMPS data file whose Masses lines name the elements ('1 6.94 # Li')")
    Path data;

    @Option(names = "--format", description = "input format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})", defaultValue = "AUTO")
    Trajectories.Format format;

    @Option(names = "--group", paramLabel = "NAME", description = "H5MD particles group (default: the only one)")
    String group;

    @Option(names = "--origin", paramLabel = "X,Y,Z", split = ",", description = "boxlo to subtract from H5MD positions (LAMMPS H5MD does not store it)")
    double[] origin;

    /** The type map from --types or --data, or null when neither is given. @throws InputException for both or bad values */
    public TypeMap typeMap() {
        if (types != null && data != null) throw new InputException("give either --types or --data, not both");
        return types != null ? TypeMap.parse(types) : data != null ? TypeMap.fromDataFile(data) : null;
    }

    /** The checked --origin (3 finite numbers) or null. */
    public double[] origin() {
        if (origin == null) return null;
        if (origin.length != 3) throw new InputException("--origin needs 3 numbers X,Y,Z");
        for (double v : origin) if (!Double.isFinite(v)) throw new InputException("--origin needs 3 finite numbers X,Y,Z in A");
        return origin.clone();
    }

    /** The forced format or AUTO. */
    public Trajectories.Format format() {
        return format;
    }

    /** The H5MD particles group or null. */
    public String group() {
        return group;
    }

    /** Opens {@code dump} with these options and the given (already built) type map. */
    public FrameSource open(Path dump, TypeMap typeMap) throws IOException {
        return Trajectories.open(dump, format, typeMap, group, origin());
    }
}
