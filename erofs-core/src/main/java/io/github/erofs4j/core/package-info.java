/**
 * The types every part of erofs4j shares: {@link io.github.erofs4j.core.FileType} and
 * {@link io.github.erofs4j.core.ErofsFormatException}. Depends on nothing.
 */
package io.github.erofs4j.core;
