import { describe, expect, it } from 'vitest'
import { answeredByWeighted, everyWeightedReached } from './served-checks'

const served = (server?: string, i = 1) => ({ what: `request ${i}`, server, unanswered: server ? undefined : `request ${i} got no answer (curl exit 7)` })

describe('answeredByWeighted', () => {
  it('holds when every request is answered by a server of the service with weight > 0', () => {
    expect(answeredByWeighted([served('10.0.1.1'), served('10.0.1.2', 2)], ['10.0.1.1', '10.0.1.2'], []).failures).toEqual([])
  })

  it('fails on an unanswered request, a server at weight 0, a stranger, and on no request at all', () => {
    expect(answeredByWeighted([served(undefined), served('10.0.1.3', 2), served('10.0.9.9', 3)], ['10.0.1.1'], ['10.0.1.3']).failures).toEqual([
      'request 1 got no answer (curl exit 7)',
      'request 2 was answered by 10.0.1.3, which has weight 0',
      'request 3 was answered by 10.0.9.9, which is not a real server of the service',
    ])
    expect(answeredByWeighted([], ['10.0.1.1'], []).failures).toEqual(['no request was sent'])
  })
})

describe('everyWeightedReached', () => {
  it('holds when each weighted server answered at least once, and names the one that did not', () => {
    expect(everyWeightedReached([served('10.0.1.1'), served('10.0.1.2', 2)], ['10.0.1.1', '10.0.1.2']).failures).toEqual([])
    expect(everyWeightedReached([served('10.0.1.1'), served(undefined, 2)], ['10.0.1.1', '10.0.1.2']).failures).toEqual([
      '10.0.1.2 answered none of 2 requests (10.0.1.1 1, 10.0.1.2 0)',
    ])
  })
})
