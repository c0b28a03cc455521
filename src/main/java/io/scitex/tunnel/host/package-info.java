/**
 * The local machine as the tool sees it: running commands, finding programs and users, and where files live.
 */
package io.scitex.tunnel.host;
