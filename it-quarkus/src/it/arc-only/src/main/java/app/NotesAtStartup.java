package app;

import io.github.milvuscdi.ConfiguringMilvusClient;
import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/**
 * Uses alias "notes" as soon as the application starts, and says what the server answered; says
 * too when the extension lets it adjust the client before it is built.
 */
@ApplicationScoped
public class NotesAtStartup {

    void configuring(@Observes @MilvusConnection("notes") ConfiguringMilvusClient client) {
        System.out.println("configuring the client of alias '" + client.alias() + "'");
        client.builder().rpcDeadlineMs(20_000);
    }

    void onStart(@Observes Startup startup, @MilvusConnection("notes") MilvusClientV2 notes) {
        System.out.println("notes answers: server version " + notes.getServerVersion());
    }
}
