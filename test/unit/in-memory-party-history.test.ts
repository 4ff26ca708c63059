import { InMemoryPartyHistory } from '../../functions/adapters/in-memory-party-history.js';
import { describePartyHistoryContract } from '../support/party-history-contract.js';

describePartyHistoryContract(
  'InMemoryPartyHistory',
  async (agreements) => new InMemoryPartyHistory(agreements),
);
