package dev.switchboard.chat;

import java.lang.reflect.Field;
import java.util.function.Predicate;

/** Private fields of the WebSocket container's classes, for the writers that reach past its public API. */
final class ContainerFields {
    private ContainerFields() {
    }

    /** @return the field, made accessible; the class is looked up, not initialised, through this application's class loader */
    static Field field(String className, String name) throws ReflectiveOperationException {
        Field field = Class.forName(className, false, ContainerFields.class.getClassLoader()).getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** @return the field, made accessible, if its class is here and its type passes {@code type}; else null (another container or version) */
    static Field fieldOrNull(String className, String name, Predicate<Class<?>> type) {
        try {
            Field field = field(className, name);
            return type.test(field.getType()) ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
