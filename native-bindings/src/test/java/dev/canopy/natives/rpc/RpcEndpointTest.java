package dev.canopy.natives.rpc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpcEndpointTest {
    @Test
    void parsesHostPortListsAndIpv6() {
        assertThat(RpcEndpoint.parse("10.0.0.2:50053")).isEqualTo(new RpcEndpoint("10.0.0.2", 50053));
        assertThat(RpcEndpoint.parse("gpu-box")).isEqualTo(new RpcEndpoint("gpu-box", 50052));
        assertThat(RpcEndpoint.parse("[::1]:7000")).isEqualTo(new RpcEndpoint("::1", 7000));
        assertThat(RpcEndpoint.parse("[::1]:7000").toString()).isEqualTo("[::1]:7000");
        assertThat(RpcEndpoint.parseList("a:1, b:2")).containsExactly(new RpcEndpoint("a", 1), new RpcEndpoint("b", 2));
        assertThat(RpcEndpoint.parse("127.0.0.1:1").isLoopback()).isTrue();
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> RpcEndpoint.parse("host:http")).hasMessageContaining("'http' is not a number");
        assertThatThrownBy(() -> RpcEndpoint.parse("host:70000")).hasMessageContaining("70000");
        assertThatThrownBy(() -> RpcEndpoint.parse(":5")).hasMessageContaining("no host");
        assertThatThrownBy(() -> RpcEndpoint.parseList(" , ")).hasMessageContaining("no worker");
    }
}
