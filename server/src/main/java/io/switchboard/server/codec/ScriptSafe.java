package io.switchboard.server.codec;

import java.io.ByteArrayOutputStream;

/**
 * Makes item JSON safe to place inside a {@code <script>} element or a JSONP body.
 *
 * <p>JSON is not quite JavaScript and not at all HTML: a string holding {@code </script>} would end the
 * iframe's script element and let the rest run as markup (the classic injection), {@code <!--} changes
 * how the HTML parser reads the script, and U+2028/U+2029 end a string literal in engines older than
 * ES2019. Outside strings JSON never contains these characters, so each can be replaced by its
 * {@code \\uXXXX} escape wherever it appears and the result is the same JSON value.
 */
public final class ScriptSafe {
    private ScriptSafe() {}

    /** {@code json} with {@code < > &} and U+2028/U+2029 escaped; the same array when there is nothing to do. */
    public static byte[] escape(byte[] json) {
        int i = firstUnsafe(json);
        if (i < 0) return json;
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 32);
        out.write(json, 0, i);
        for (; i < json.length; i++) {
            byte b = json[i];
            switch (b) {
                case '<' -> writeAscii(out, "\\u003c");
                case '>' -> writeAscii(out, "\\u003e");
                case '&' -> writeAscii(out, "\\u0026");
                case (byte) 0xE2 -> {
                    if (isLineOrParagraphSeparator(json, i)) {
                        writeAscii(out, json[i + 2] == (byte) 0xA8 ? "\\u2028" : "\\u2029");
                        i += 2;
                    } else {
                        out.write(b);
                    }
                }
                default -> out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static int firstUnsafe(byte[] json) {
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (b == '<' || b == '>' || b == '&' || (b == (byte) 0xE2 && isLineOrParagraphSeparator(json, i))) {
                return i;
            }
        }
        return -1;
    }

    /** U+2028 is E2 80 A8 in UTF-8, U+2029 is E2 80 A9. */
    private static boolean isLineOrParagraphSeparator(byte[] b, int i) {
        return i + 2 < b.length && b[i + 1] == (byte) 0x80 && (b[i + 2] == (byte) 0xA8 || b[i + 2] == (byte) 0xA9);
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        for (int k = 0; k < s.length(); k++) out.write(s.charAt(k));
    }
}
