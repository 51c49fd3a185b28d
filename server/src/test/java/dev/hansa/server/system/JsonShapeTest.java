package dev.hansa.server.system;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonShapeTest {

    private static final JsonShape SHAPE = new JsonShape(2, 5, 4, 6, true);

    private static InvalidField refused(Object value) {
        return assertThrows(InvalidField.class, () -> SHAPE.check("device", value));
    }

    @Test
    void acceptsWhatFitsTheBounds() {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("os", "linux");
        device.put("gpu", Map.of("mem", 16));
        device.put("ok", true);
        device.put("none", null);
        assertDoesNotThrow(() -> SHAPE.check("device", device));
        assertDoesNotThrow(() -> SHAPE.check("device", Map.of("big", new BigInteger("9".repeat(100)))));
        assertDoesNotThrow(() -> SHAPE.check("device", null));
    }

    @Test
    void namesTheOffendingPath() {
        assertEquals("device.gpu.name", refused(Map.of("gpu", Map.of("name", "a\u0000"))).field());
        assertEquals("device.l[1]", refused(Map.of("l", List.of("ok", "\uD800x"))).field());
        assertEquals("device", refused(Map.of("k\u0000", 1)).field());
        assertEquals("name", assertThrows(InvalidField.class, () -> SHAPE.checkBody(Map.of("name", "x\u0000"))).field());
        assertEquals("body", assertThrows(InvalidField.class, () -> SHAPE.checkBody(List.of(1, 2, 3, 4, 5, 6))).field());
    }

    @Test
    void boundsDepthEntriesLengthsAndNumbers() {
        assertTrue(refused(Map.of("a", Map.of("b", Map.of()))).getMessage().contains("deeper than 2"));
        assertTrue(refused(Map.of("a", List.of(1, 2, 3, 4, 5))).getMessage().contains("more than 5 entries"),
                "entries count over the whole value: 1 member + 5 elements");
        assertTrue(refused(Map.of("toolong", 1)).getMessage().contains("key longer than 4"));
        assertTrue(refused(Map.of("s", "1234567")).getMessage().contains("longer than 6"));
        assertEquals("device.x", refused(Map.of("x", Double.POSITIVE_INFINITY)).field());
        assertEquals("device.x", refused(Map.of("x", Float.NaN)).field());
        assertEquals("device", refused(Map.of(1, "x")).field(), "keys must be strings");
        assertEquals("device.x", refused(Map.of("x", new Object())).field());
    }

    @Test
    void nullMembersAreRefusedWhereAbsentAndNullWouldDiffer() {
        JsonShape strict = new JsonShape(2, 5, 4, 6, false);
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("gpu", null);
        InvalidField e = assertThrows(InvalidField.class, () -> strict.check("device", device));
        assertEquals("device.gpu", e.field());
        assertTrue(e.getMessage().contains("leave the field out"), e.getMessage());
        assertEquals("device.l[0]", assertThrows(InvalidField.class,
                () -> strict.check("device", Map.of("l", Arrays.asList((Object) null)))).field());
        assertDoesNotThrow(() -> strict.check("device", null), "an absent value is not a null member");
    }

    @Test
    void surrogatePairsAreTextButUnpairedSurrogatesAndNulAreNot() {
        assertEquals("a\uD83D\uDE00b", StorableText.require("f", "a\uD83D\uDE00b", 10), "an emoji is one valid pair");
        for (String bad : List.of("\uD800", "a\uDC00", "\uDC00\uD800", "x\uD83D")) {
            InvalidField e = assertThrows(InvalidField.class, () -> StorableText.require("f", bad, 10), bad);
            assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
        }
        InvalidField nul = assertThrows(InvalidField.class, () -> StorableText.require("f", "ab\u0000", 10));
        assertTrue(nul.getMessage().contains("index 2"), nul.getMessage());
    }
}
