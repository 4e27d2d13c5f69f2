package org.widecloud.shell.support;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.CommandException;

/**
 * Lets options follow the positional argument ({@code cloud:vm-create web1 --vcpus 1}). Karaf's parser stops
 * reading options at the first argument and would refuse the rest as "too many arguments"; commands with an
 * argument therefore collect what follows it in a multi-valued argument named {@value #NAME}, and this applies
 * those tokens to the command's {@link Option} fields as Karaf would have (names and aliases, {@code --opt value}
 * and {@code --opt=value}, flags, repeatable options, number conversion).
 */
public final class TrailingOptions {
    public static final String NAME = "options";
    public static final String DESCRIPTION = "Options may also follow the argument";

    private TrailingOptions() {
    }

    /** Applies the trailing tokens of the action, if it takes any. */
    public static void apply(Object action) throws CommandException {
        Field holder = holder(action.getClass());
        if (holder == null) {
            return;
        }
        List<?> tokens = (List<?>) get(holder, action);
        if (tokens == null || tokens.isEmpty()) {
            return;
        }
        List<Object> values = new ArrayList<>(tokens);
        for (int i = 0; i < values.size(); i++) {
            String token = String.valueOf(values.get(i));
            if (!token.startsWith("-") || token.equals("-")) {
                throw CloudAction.failure("too many arguments: '" + token + "' (options start with --)", null);
            }
            int eq = token.indexOf('=');
            String name = eq > 0 ? token.substring(0, eq) : token;
            Field field = option(action.getClass(), name);
            if (field == null) {
                throw CloudAction.failure("undefined option " + name, null);
            }
            Object value;
            if (eq > 0) {
                value = token.substring(eq + 1);
            } else if (field.getType() == boolean.class || field.getType() == Boolean.class) {
                value = Boolean.TRUE;
            } else if (i + 1 < values.size()) {
                value = String.valueOf(values.get(++i));
            } else {
                throw CloudAction.failure("missing value for option " + name, null);
            }
            set(action, field, name, value);
        }
        set(holder, action, null);
    }

    private static Field holder(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Argument a = f.getAnnotation(Argument.class);
                if (a != null && a.multiValued() && NAME.equals(a.name()) && List.class.isAssignableFrom(f.getType())) {
                    return f;
                }
            }
        }
        return null;
    }

    private static Field option(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                if (o != null && (o.name().equals(name) || Arrays.asList(o.aliases()).contains(name))) {
                    return f;
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static void set(Object action, Field field, String name, Object value) throws CommandException {
        Object converted;
        Class<?> type = field.getType();
        String text = String.valueOf(value);
        try {
            if (type == boolean.class || type == Boolean.class) {
                converted = value instanceof Boolean b ? b : Boolean.valueOf(text);
            } else if (type == Integer.class || type == int.class) {
                converted = Integer.valueOf(text.trim());
            } else if (type == Long.class || type == long.class) {
                converted = Long.valueOf(text.trim());
            } else if (List.class.isAssignableFrom(type)) {
                List<Object> list = (List<Object>) get(field, action);
                List<Object> grown = list == null ? new ArrayList<>() : new ArrayList<>(list);
                grown.add(text);
                converted = grown;
            } else {
                converted = text;
            }
        } catch (NumberFormatException e) {
            throw CloudAction.failure("option " + name + ": '" + text + "' is not a whole number", e);
        }
        set(field, action, converted);
    }

    private static Object get(Field f, Object target) {
        try {
            f.setAccessible(true);
            return f.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(Field f, Object target, Object value) {
        try {
            f.setAccessible(true);
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
