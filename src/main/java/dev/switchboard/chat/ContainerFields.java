package dev.switchboard.chat;

import java.lang.reflect.Field;

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
}
