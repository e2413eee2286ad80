/**
 * Building EROFS images: an in-memory tree of {@link io.github.erofs4j.core.write.Node}s
 * ({@link io.github.erofs4j.core.write.FsTree}), options ({@link io.github.erofs4j.core.write.WriteOptions}) and
 * the writer ({@link io.github.erofs4j.core.write.ErofsWriter}), which plans the layout and then emits the image
 * in one sequential pass, streaming file contents from their sources. Progress and warnings arrive as
 * {@link io.github.erofs4j.core.write.WriteEvent}s.
 */
package io.github.erofs4j.core.write;
