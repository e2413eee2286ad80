/** Internal: the Merkle tree engine shared by fs-verity and dm-verity. Not exported. */
package io.github.erofs4j.verity.internal;
