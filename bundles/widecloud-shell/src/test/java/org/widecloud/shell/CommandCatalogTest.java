package org.widecloud.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.impl.action.command.DefaultActionPreparator;
import org.junit.jupiter.api.Test;
import org.widecloud.shell.support.ShellRun;

/** Every command the bundle brings, as Karaf's extender would find them (@Service classes in the bundle). */
class CommandCatalogTest {

    static final Set<String> EXPECTED = Set.of(
            "site-create", "site-list", "site-show", "site-update", "site-delete",
            "host-create", "host-list", "host-show", "host-update", "host-delete", "host-refresh",
            "network-create", "network-list", "network-show", "network-update", "network-delete", "network-bindings",
            "image-create", "image-list", "image-show", "image-update", "image-delete", "image-import",
            "pool-create", "pool-list", "pool-show", "pool-update", "pool-delete", "pool-refresh",
            "volume-create", "volume-list", "volume-show", "volume-resize", "volume-attach", "volume-detach",
            "volume-delete",
            "vm-create", "vm-list", "vm-show", "vm-update", "vm-start", "vm-stop", "vm-reboot", "vm-destroy", "vm-migrate", "vm-migrations",
            "vm-delete", "job-list", "job-show", "job-wait", "driver-list", "audit-list");

    static List<Class<?>> services() throws Exception {
        URL root = CommandCatalogTest.class.getClassLoader().getResource("org/widecloud/shell/support/CloudAction.class");
        Path classes = Path.of(root.toURI()).getParent().getParent().getParent().getParent().getParent();
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("org/widecloud/shell"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name);
                if (c.isAnnotationPresent(Service.class)) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    @Test
    void everyCommandOfTheBriefIsThereInScopeCloud() throws Exception {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : services()) {
            if (Action.class.isAssignableFrom(c)) {
                Command command = c.getAnnotation(Command.class);
                assertEquals("cloud", command.scope(), c.getName());
                assertFalse(command.description().isBlank(), c.getName());
                assertFalse(Modifier.isAbstract(c.getModifiers()), c.getName());
                assertTrue(names.add(command.name()), "duplicate " + command.name());
            } else {
                assertTrue(Completer.class.isAssignableFrom(c), c.getName() + " is neither command nor completer");
            }
        }
        assertEquals(new TreeSet<>(EXPECTED), names);
    }

    @Test
    void karafCanRenderTheHelpOfEveryCommand() throws Exception {
        PrintStream saved = System.out;
        for (Class<?> c : services()) {
            if (!Action.class.isAssignableFrom(c)) {
                continue;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            try {
                Action a = (Action) c.getConstructor().newInstance();
                assertFalse(new DefaultActionPreparator().prepare(a, ShellRun.session(0, Map.of()),
                        List.of("--help")));
            } finally {
                System.setOut(saved);
            }
            String help = bytes.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", "");
            String name = c.getAnnotation(Command.class).name();
            assertTrue(help.contains("SYNTAX") && help.contains("cloud:" + name), help);
        }
    }
}
