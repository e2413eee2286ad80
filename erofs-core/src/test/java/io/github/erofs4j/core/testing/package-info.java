/**
 * Test helpers shared with the other modules' tests through erofs-core's test-jar: where the golden images are,
 * the manifest of an image as {@code testdata/tools/manifest.py} prints it, and a read-only channel over a byte
 * array.
 */
package io.github.erofs4j.core.testing;
