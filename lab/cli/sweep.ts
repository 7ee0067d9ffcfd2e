/** `npm run lab:sweep`: removes lab containers and networks from the engine DOCKER_HOST names. */
import { dockerClient } from '../docker/client'
import { sweepLab } from '../docker/sweep'

const docker = dockerClient()
sweepLab(docker).then(
  ({ containers, networks }) => console.log(`swept ${containers} containers and ${networks} networks`),
  (err: Error) => {
    console.error(`lvs-conformance: cannot sweep ${process.env.DOCKER_HOST ?? '/var/run/docker.sock'}: ${err.message}`)
    process.exit(1)
  },
)
