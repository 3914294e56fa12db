package dev.ipv6lifecycle.server.axon;

import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;

/**
 * Axon's units of work on Spring's transactions, as Axon's auto-configuration would set them up, with one
 * difference: a unit of work that joined a wider transaction as an open {@link BatchItem}, and fails, leaves that
 * transaction alone: the batch undoes what the item did (its savepoint, or the whole transaction). Spring would
 * otherwise mark the whole transaction rollback-only, and every other command of the batch would be lost with it.
 */
class JoiningUnitsOfWork extends SpringTransactionManager {

    JoiningUnitsOfWork(PlatformTransactionManager transactions) {
        super(transactions);
    }

    @Override
    protected void rollbackTransaction(TransactionStatus status) {
        if (status.isNewTransaction() || !BatchItem.open()) {
            super.rollbackTransaction(status);
        }
    }
}
