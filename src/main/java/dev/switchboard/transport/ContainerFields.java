package dev.switchboard.transport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.function.Predicate;

/**
 * Private fields of the container's classes, made accessible. A field to be written must not be
 * {@code final}: writing one is refused here, before any JDK refuses it (JEP 500), so no path of
 * this package can come to depend on it.
 */
final class ContainerFields {
    private ContainerFields() {}

    /**
     * @return the field, made accessible; the class is looked up, not initialised, through this
     *     application's class loader
     */
    static Field field(String className, String name) throws ReflectiveOperationException {
        Field field =
                Class.forName(className, false, ContainerFields.class.getClassLoader())
                        .getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /**
     * @return the field, made accessible, to be written; refused if it is final
     */
    static Field writable(String className, String name) throws ReflectiveOperationException {
        Field field = field(className, name);
        if (Modifier.isFinal(field.getModifiers()))
            throw new IllegalAccessException(className + "." + name + " is final: not written");
        return field;
    }

    /**
     * @return the field, made accessible, if its class is here and its type passes {@code type};
     *     else null (another container or version)
     */
    static Field fieldOrNull(String className, String name, Predicate<Class<?>> type) {
        try {
            Field field = field(className, name);
            return type.test(field.getType()) ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** {@link #fieldOrNull}, for a field to be written: null too if it is final */
    static Field writableOrNull(String className, String name, Predicate<Class<?>> type) {
        Field field = fieldOrNull(className, name, type);
        return field == null || Modifier.isFinal(field.getModifiers()) ? null : field;
    }
}
