package bench;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The first answer the benchmark waits for. */
@Path("/hello")
public class Hello {

    @GET
    public String hello() {
        return "hello";
    }
}
