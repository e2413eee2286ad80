package io.github.erofs4j.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A kernel's {@code modules.dep}: which module file each module name is, and which files must be loaded before
 * it. Module names compare with {@code -} and {@code _} equal, as the kernel and kmod do.
 */
final class ModulesDep {
    private final Map<String, String> fileByName = new HashMap<>();
    private final Map<String, List<String>> depsByFile = new HashMap<>();

    static ModulesDep parse(byte[] text) throws IOException {
        ModulesDep d = new ModulesDep();
        int lineNo = 0;
        for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("modules.dep line " + lineNo + ": no ':'");
            }
            String file = line.substring(0, colon).trim();
            List<String> deps = new ArrayList<>();
            for (String dep : line.substring(colon + 1).trim().split("\\s+")) {
                if (!dep.isEmpty()) {
                    deps.add(dep);
                }
            }
            d.depsByFile.put(file, List.copyOf(deps));
            d.fileByName.putIfAbsent(name(file), file);
        }
        return d;
    }

    /**
     * This modules.dep with the modules of {@code other} (the same kernel's full module tree) that it lacks, by
     * name, added with their dependency lines; a module both list keeps this one's file and dependencies.
     */
    ModulesDep withFallback(ModulesDep other) {
        ModulesDep d = new ModulesDep();
        d.depsByFile.putAll(other.depsByFile);
        d.depsByFile.putAll(depsByFile);
        d.fileByName.putAll(other.fileByName);
        d.fileByName.putAll(fileByName);
        return d;
    }

    /** The module name of a module file path ({@code kernel/fs/erofs/erofs.ko.xz} is {@code erofs}). */
    static String name(String file) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        int ko = base.indexOf(".ko");
        if (ko > 0) {
            base = base.substring(0, ko);
        }
        return normalize(base);
    }

    static String normalize(String moduleName) {
        return moduleName.replace('-', '_').toLowerCase(Locale.ROOT);
    }

    /** The files {@code file} depends on, as listed. */
    List<String> deps(String file) {
        return depsByFile.getOrDefault(file, List.of());
    }

    /** The file of module {@code name}, or null when this kernel has no such module (built in, or absent). */
    String file(String name) {
        return fileByName.get(normalize(name));
    }

    /**
     * The files to load for {@code names}, each after the files it depends on, each once; names this kernel
     * has no module for are added to {@code absent}.
     */
    List<String> loadOrder(List<String> names, List<String> absent) {
        LinkedHashSet<String> order = new LinkedHashSet<>();
        for (String n : names) {
            String f = file(n);
            if (f == null) {
                absent.add(n);
            } else {
                visit(f, order, new HashSet<>());
            }
        }
        return List.copyOf(order);
    }

    private void visit(String file, LinkedHashSet<String> order, Set<String> onPath) {
        if (order.contains(file) || !onPath.add(file)) {
            return; // done already, or a cycle (depmod never writes one; stop instead of recursing forever)
        }
        for (String dep : depsByFile.getOrDefault(file, List.of())) {
            visit(dep, order, onPath);
        }
        onPath.remove(file);
        order.add(file);
    }
}
