import type Docker from 'dockerode'
import { GenericContainer, type StartedTestContainer } from 'testcontainers'
import { labLabels } from '../docker/labels'
import { AgentSession } from './agent-session'

export interface Attachment {
  /** Docker's name of the network. */
  network: string
  address: string
}

/**
 * A privileged lab node: the node image running the agent, with fixed addresses on one or
 * more lab networks. The first network is given at create time; Docker API 1.41 takes only
 * one there, so the others are connected before the container starts.
 */
export class LabContainer extends GenericContainer {
  private attachments: Attachment[] = []
  private agent?: AgentSession

  constructor(
    image: string,
    private readonly nodeName: string,
    private readonly docker: Docker,
  ) {
    super(image)
    this.withPrivilegedMode()
      .withCommand(['/usr/local/bin/lab-agent'])
      .withLabels(labLabels({ 'io.lvs-conformance.node': nodeName }))
      .withStartupTimeout(120_000)
    this.createOpts.Hostname = nodeName
    this.createOpts.OpenStdin = true
    this.createOpts.StdinOnce = false
  }

  withAddress(network: string, address: string): this {
    this.attachments.push({ network, address })
    if (this.attachments.length === 1) {
      this.withNetworkMode(network)
      this.createOpts.NetworkingConfig = { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: address } } } }
    }
    return this
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    for (const { network, address } of this.attachments.slice(1)) {
      await this.docker.getNetwork(network).connect({ Container: containerId, EndpointConfig: { IPAMConfig: { IPv4Address: address } } })
    }
    this.agent = await AgentSession.attach(this.docker, containerId, this.nodeName)
  }

  /** Starts the container and returns it with its agent, ready for scripts. */
  async startNode(): Promise<{ container: StartedTestContainer; agent: AgentSession }> {
    const container = await this.start()
    await this.agent!.waitReady(60_000)
    return { container, agent: this.agent! }
  }
}
