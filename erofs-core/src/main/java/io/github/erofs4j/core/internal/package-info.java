/**
 * Helpers erofs4j's own modules share; not API (exported only to the CLI).
 */
package io.github.erofs4j.core.internal;
