/**
 * Admin resources of the security work: join tokens for node enrollment, the hub CA's rotation and
 * the workspaces with the capabilities they grant. Admins only; workspace-bound objects are seen
 * only within the caller's workspaces, global operations need an admin of every workspace.
 */
package io.cortexhub.web.api.admin;
