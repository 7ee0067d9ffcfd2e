import Docker from 'dockerode'

/** A dockerode client for a DOCKER_HOST value (tcp://host:port or unix:///path); default socket otherwise. */
export function dockerClient(dockerHost = process.env.DOCKER_HOST): Docker {
  if (!dockerHost) return new Docker({ socketPath: '/var/run/docker.sock' })
  const url = new URL(dockerHost)
  if (url.protocol === 'unix:') return new Docker({ socketPath: url.pathname })
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: 'http' })
}
