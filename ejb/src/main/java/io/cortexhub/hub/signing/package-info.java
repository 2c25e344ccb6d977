/**
 * Hub-signed tasks: every task's serialized bytes are signed with the hub's Ed25519 key (separate
 * from the CA, named by a key id so it can rotate), and nodes accept only keys pinned at
 * enrollment. BouncyCastle's Ed25519, because the JDK's is about twenty times slower.
 */
package io.cortexhub.hub.signing;
